using System.Diagnostics;
using Skia.Pool.Domain.Ports;

namespace Skia.Pool.Infrastructure.Processes;

/// <summary>
/// A launched instance: the OS process (reaped by .NET when it exits) and the tree behind it.
/// Stopping signals the whole tree, so wrappers that do not forward signals cannot leave a child behind.
/// </summary>
internal sealed class OsProcessHandle : IProcessHandle
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(5);

    private readonly Process _process;
    private readonly ProcessTree _tree;
    private readonly OutputPump _stderr;
    private readonly TimeProvider _time;
    private readonly Lock _stopGate = new();
    private Task? _stop;

    public OsProcessHandle(Process process, ProcessTree tree, OutputPump stderr, TimeProvider time)
    {
        _process = process;
        _tree = tree;
        _stderr = stderr;
        _time = time;
        Exited = WaitForExitAsync();
    }

    public int Pid => _process.Id;

    public Task<int> Exited { get; }

    public IReadOnlyList<string> RecentErrorLines => _stderr.Recent;

    internal ProcessTree Tree => _tree;

    public Task StopAsync(TimeSpan gracePeriod)
    {
        lock (_stopGate)
        {
            return _stop ??= StopTreeAsync(gracePeriod);
        }
    }

    private async Task StopTreeAsync(TimeSpan gracePeriod)
    {
        var members = _tree.Members();
        _tree.Signal(members, Native.SigTerm);
        var remaining = await WaitGoneAsync(members, gracePeriod).ConfigureAwait(false);
        if (remaining.Count > 0 || _tree.Members().Count > 0)
        {
            // Whatever ignored SIGTERM, and anything forked since the first look.
            var all = remaining.Concat(_tree.Members()).DistinctBy(m => m.Pid).ToList();
            _tree.Signal(all, Native.SigKill);
            await WaitGoneAsync(all, KillWait).ConfigureAwait(false);
        }

        await Exited.ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<ProcStat>> WaitGoneAsync(IReadOnlyList<ProcStat> members, TimeSpan limit)
    {
        var deadline = _time.GetTimestamp() + (long)(limit.TotalSeconds * _time.TimestampFrequency);
        while (true)
        {
            var alive = members.Where(ProcessTree.IsAlive).ToList();
            if (alive.Count == 0 || _time.GetTimestamp() >= deadline)
            {
                return alive;
            }

            await Task.Delay(PollInterval, _time).ConfigureAwait(false);
        }
    }

    private async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync().ConfigureAwait(false);
        var code = _process.ExitCode;
        _process.Dispose();
        return code;
    }
}
