using Skia.Pool.Domain.Ports;

namespace Skia.Pool.Tests.Domain.Fakes;

/// <summary>A simulated instance process: it exits when the test says so, or when it is stopped.</summary>
public sealed class FakeProcessHandle(int pid) : IProcessHandle
{
    /// <summary>What a process killed by SIGTERM reports (128 + 15).</summary>
    public const int StoppedExitCode = 143;

    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _stopCalls;

    public int Pid { get; } = pid;

    public Task<int> Exited => _exited.Task;

    public IReadOnlyList<string> RecentErrorLines { get; set; } = [];

    public int StopCalls => Volatile.Read(ref _stopCalls);

    public bool IsAlive => !_exited.Task.IsCompleted;

    /// <summary>The process exits by itself with <paramref name="exitCode"/>.</summary>
    public void Exit(int exitCode) => _exited.TrySetResult(exitCode);

    public Task StopAsync(TimeSpan gracePeriod)
    {
        Interlocked.Increment(ref _stopCalls);
        _exited.TrySetResult(StoppedExitCode);
        return Task.CompletedTask;
    }
}
