namespace Skia.Pool.Infrastructure.Processes;

/// <summary>
/// Everything an instance started: its root process, every descendant, and every process in the
/// root's session or process group (wrappers such as xvfb-run background their children and do not
/// forward signals, and a child may outlive its parent). Members are remembered with their start
/// times, so a pid reused by an unrelated process is never signalled.
/// </summary>
internal sealed class ProcessTree(int rootPid, ulong rootStartTime, bool ownsSession)
{
    public int RootPid { get; } = rootPid;

    public ulong RootStartTime { get; } = rootStartTime;

    /// <summary>True when the root leads its own session, so its session and group are the instance's alone.</summary>
    public bool OwnsSession { get; } = ownsSession;

    /// <summary>The live members right now (zombies excluded: they are dead, only not yet reaped).</summary>
    public IReadOnlyList<ProcStat> Members()
    {
        var all = ProcStat.All().Where(p => !p.IsZombie).ToList();
        var members = new Dictionary<int, ProcStat>();
        if (ProcStat.Read(RootPid) is { } root && root.StartTime == RootStartTime && !root.IsZombie)
        {
            members[root.Pid] = root;
        }

        if (OwnsSession)
        {
            foreach (var p in all.Where(p => p.Session == RootPid || p.ProcessGroup == RootPid))
            {
                members[p.Pid] = p;
            }
        }

        // Descendants by parent links, to a fixed point: catches children that left the session.
        bool grew;
        do
        {
            grew = false;
            foreach (var p in all)
            {
                if (!members.ContainsKey(p.Pid) && members.ContainsKey(p.ParentPid) && p.Pid != p.ParentPid)
                {
                    members[p.Pid] = p;
                    grew = true;
                }
            }
        }
        while (grew);

        return [.. members.Values];
    }

    /// <summary>Sends <paramref name="signal"/> to each member that is still the same process.</summary>
    public void Signal(IEnumerable<ProcStat> members, int signal)
    {
        if (OwnsSession)
        {
            Native.Kill(-RootPid, signal); // the process group, including members forked a moment ago
        }

        foreach (var member in members)
        {
            if (IsAlive(member))
            {
                Native.Kill(member.Pid, signal);
            }
        }
    }

    public static bool IsAlive(ProcStat member) =>
        ProcStat.Read(member.Pid) is { } now && now.StartTime == member.StartTime && !now.IsZombie;
}
