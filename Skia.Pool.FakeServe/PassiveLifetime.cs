namespace Skia.Pool.FakeServe;

/// <summary>
/// Replaces the host's ConsoleLifetime, which would stop the host on SIGTERM (defeating
/// <c>--ignore-sigterm</c>) and would hold up <see cref="Environment.Exit(int)"/> until a graceful shutdown
/// had finished (a simulated crash must be immediate). <see cref="ShutdownSignals"/> handles signals instead.
/// </summary>
internal sealed class PassiveLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
