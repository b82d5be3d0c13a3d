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

    /// <summary>
    /// After readiness, in one look at the sockets this instance's tree has open: whether something
    /// listens on <paramref name="port"/> and every such listener is the tree's, and whether the tree holds
    /// the instance's end of every loopback connection to the port from <paramref name="localPorts"/> (the
    /// connections a readiness probe left in the pool).
    /// </summary>
    /// <remarks>
    /// Most instances hold all of these in the very process the pool started, so that one is looked at
    /// first; only otherwise (a wrapper such as xvfb-run) is the whole tree walked, which reads every
    /// process's <c>/proc/{pid}/stat</c>. One look answers both questions: it reads a process's fd links
    /// newest first, and stops once every socket asked about is found (<see cref="OpenSockets"/>).
    /// </remarks>
    public (bool OwnsListener, bool HoldsConnections) CheckSockets(int port, IReadOnlyCollection<int> localPorts)
    {
        var listeners = PortCheck.ListeningInodes(port);
        List<string>? connections = [];
        foreach (var localPort in localPorts)
        {
            if (PortCheck.ConnectionInode(port, localPort) is not { } inode)
            {
                connections = null; // a connection whose other end is gone or unknown is not the instance's
                break;
            }

            connections.Add(inode);
        }

        // Only the sockets asked about are looked for, and the look stops once all are found.
        var wanted = new HashSet<string>(listeners, StringComparer.Ordinal);
        wanted.UnionWith(connections ?? []);
        var held = new HashSet<string>(StringComparer.Ordinal);
        OpenSockets.FindIn(_tree.RootPid, wanted, held);
        if (!_tree.RootIsAlive()) // checked after the look: the pid was ours during it
        {
            held.Clear();
        }

        if (!held.IsSupersetOf(wanted))
        {
            foreach (var member in _tree.Members())
            {
                OpenSockets.FindIn(member.Pid, wanted, held);
            }
        }

        return (listeners.Count > 0 && listeners.IsSubsetOf(held), connections is not null && connections.TrueForAll(held.Contains));
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
