using FluentResults;
using Skia.Pool.Domain.Errors;
using Skia.Pool.Domain.Ports;

namespace Skia.Pool.Tests.Domain.Fakes;

/// <summary>
/// An <see cref="IProcessLauncher"/> that hands out <see cref="FakeProcessHandle"/>s with increasing
/// pids (from <see cref="FirstPid"/>); it can be told to fail, or to hold launches until released.
/// </summary>
public sealed class FakeLauncher : IProcessLauncher
{
    public const int FirstPid = 1000;

    private readonly Lock _lock = new();
    private readonly List<FakeProcessHandle> _processes = [];
    private readonly List<LaunchRequest> _requests = [];
    private readonly CallCounter _launches = new();
    private TaskCompletionSource? _gate;

    /// <summary>When set, every launch fails with this error (as the real launcher does when the command is missing).</summary>
    public IError? Failure { get; set; }

    /// <summary>Ports held by some other process: a launch on one fails as the real launcher's port check does.</summary>
    public HashSet<int> ForeignPorts { get; } = [];

    public int LaunchCount => _launches.Count;

    public IReadOnlyList<FakeProcessHandle> Processes
    {
        get
        {
            lock (_lock)
            {
                return [.. _processes];
            }
        }
    }

    public IReadOnlyList<FakeProcessHandle> LiveProcesses => [.. Processes.Where(p => p.IsAlive)];

    public IReadOnlyList<LaunchRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    public Task WhenLaunched(int count) => _launches.WhenReached(count);

    /// <summary>Holds every later launch until the returned gate is completed.</summary>
    public TaskCompletionSource Block()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _gate = gate;
        }

        return gate;
    }

    public async Task<Result<IProcessHandle>> LaunchAsync(LaunchRequest request, CancellationToken cancellationToken)
    {
        Task gate;
        lock (_lock)
        {
            _requests.Add(request);
            gate = _gate?.Task ?? Task.CompletedTask;
        }

        _launches.Increment();
        await gate;
        if (Failure is { } failure)
        {
            return Result.Fail(failure);
        }

        if (ForeignPorts.Contains(request.Port))
        {
            return Result.Fail(new PortInUseError(request.Port));
        }

        lock (_lock)
        {
            var process = new FakeProcessHandle(FirstPid + _processes.Count);
            _processes.Add(process);
            return process;
        }
    }
}
