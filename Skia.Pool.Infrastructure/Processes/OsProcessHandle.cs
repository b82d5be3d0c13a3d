using System.Diagnostics;
using Skia.Pool.Domain.Ports;

namespace Skia.Pool.Infrastructure.Processes;

/// <summary>
/// A launched instance: the OS process (reaped by .NET when it exits) and the tree behind it.
/// Stopping signals the whole tree, so wrappers that do not forward signals cannot leave a child behind.
/// </summary>
internal sealed class OsProcessHandle : IProcessHandle
{
    private readonly Process _process;
    private readonly ProcessTree _tree;
    private readonly OutputPump _stderr;
    private readonly TimeProvider _time;
    private readonly Action? _onGone;
    private readonly Lock _stopGate = new();
    private Task? _stop;

    // onGone runs once the whole tree is known to be gone (after a stop).
    public OsProcessHandle(Process process, ProcessTree tree, OutputPump stderr, TimeProvider time, Action? onGone = null)
    {
        _onGone = onGone;
        _process = process;
        Pid = process.Id;
        _tree = tree;
        _stderr = stderr;
        _time = time;
        Exited = WaitForExitAsync();
    }

    public int Pid { get; }

    public Task<int> Exited { get; }

    public IReadOnlyList<string> RecentErrorLines => _stderr.Recent;

    public Task StopAsync(TimeSpan gracePeriod)
    {
        lock (_stopGate)
        {
            return _stop ??= StopTreeAsync(gracePeriod);
        }
    }

    /// <summary>True when every socket listening on <paramref name="port"/> belongs to this instance's tree.</summary>
    /// <remarks>
    /// Most instances listen in the very process the pool started, so that one is looked at first; only
    /// otherwise (a wrapper such as xvfb-run) is the whole tree walked, which reads every process's
    /// <c>/proc/{pid}/stat</c> and costs milliseconds on a busy machine, on every start.
    /// </remarks>
    public bool OwnsListener(int port) =>
        (PortCheck.IsListenedToBy(port, [_tree.RootPid]) && _tree.RootIsAlive()) // alive after the look: it was ours during it
        || PortCheck.IsListenedToBy(port, _tree.Members().Select(m => m.Pid));

    /// <summary>
    /// True when the instance's end of every loopback connection to <paramref name="port"/> from the given
    /// local ports is held by this instance's tree (the connections a readiness probe left in the pool).
    /// </summary>
    public bool HoldsConnections(int port, IReadOnlyCollection<int> remotePorts)
    {
        List<string> inodes = [];
        foreach (var remotePort in remotePorts)
        {
            if (PortCheck.ConnectionInode(port, remotePort) is not { } inode)
            {
                return false;
            }

            inodes.Add(inode);
        }

        return (PortCheck.AreHeldBy(inodes, [_tree.RootPid]) && _tree.RootIsAlive())
            || PortCheck.AreHeldBy(inodes, _tree.Members().Select(m => m.Pid));
    }

    private async Task StopTreeAsync(TimeSpan gracePeriod)
    {
        await _tree.StopAsync(gracePeriod, _time).ConfigureAwait(false);
        await Exited.ConfigureAwait(false);
        _onGone?.Invoke();
    }

    private async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync().ConfigureAwait(false);
        var code = _process.ExitCode;
        _process.Dispose();
        return code;
    }
}
