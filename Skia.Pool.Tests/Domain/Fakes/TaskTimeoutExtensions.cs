namespace Skia.Pool.Tests.Domain.Fakes;

/// <summary>
/// A safety net, not a sleep: every wait in the domain tests completes as soon as the simulated
/// event happens; the bound only turns a bug that would hang the suite into a failure.
/// </summary>
public static class TaskTimeoutExtensions
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    public static Task WithTimeout(this Task task) => task.WaitAsync(Bound);

    public static Task<T> WithTimeout<T>(this Task<T> task) => task.WaitAsync(Bound);
}
