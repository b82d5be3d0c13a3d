using System.Diagnostics;

namespace Skia.Pool.Tests.Integration.Support;

/// <summary>
/// Waits for something asynchronous the service does by itself (an exit noticed, a cull tick). The limit
/// is generous and only stops a broken test from hanging: no test asserts how long anything took.
/// </summary>
internal static class Eventually
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    public static async Task TrueAsync(Func<Task<bool>> condition, string? because = null)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > Limit)
            {
                throw new TimeoutException($"Condition not met within {Limit.TotalSeconds} s. {because}");
            }

            await Task.Delay(25);
        }
    }

    public static Task TrueAsync(Func<bool> condition, string? because = null) => TrueAsync(() => Task.FromResult(condition()), because);
}
