namespace Skia.Pool.Infrastructure.Processes;

/// <summary>
/// Everything an instance started: its root process, every descendant, and every process in the
/// root's session or process group (wrappers such as xvfb-run background their children and do not
/// forward signals, and a child may outlive its parent). Members are remembered with their start
/// times, so a pid reused by an unrelated process is never signalled.
/// </summary>
internal sealed class ProcessTree(int rootPid, ulong rootStartTime, bool ownsSession, string? requiredMarker = null)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(5);

    public int RootPid { get; } = rootPid;

    public ulong RootStartTime { get; } = rootStartTime;

    /// <summary>True when the root was started to lead its own session, so that session and group are the instance's alone.</summary>
    public bool OwnsSession { get; } = ownsSession;

    /// <summary>True while the root is alive and is still the process this tree was made for (not a reused pid).</summary>
    public bool RootIsAlive() => ProcStat.Read(RootPid) is { IsZombie: false } root && root.StartTime == RootStartTime;

    /// <summary>The live members right now (zombies excluded: they are dead, only not yet reaped).</summary>
    public IReadOnlyList<ProcStat> Members()
    {
        var all = ProcStat.All().Where(p => !p.IsZombie).ToList();
        var members = new Dictionary<int, ProcStat>();
        var root = all.FirstOrDefault(p => p.Pid == RootPid);
        var rootIsOurs = root.Pid == RootPid && root.StartTime == RootStartTime;
        if (rootIsOurs)
        {
            members[root.Pid] = root;
        }

        if (OwnsSession && SessionIsStillOurs(root, rootIsOurs))
        {
            foreach (var p in all.Where(p => (p.Session == RootPid || p.ProcessGroup == RootPid) && p.StartTime >= RootStartTime))
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

        // A tree rebuilt from a file (after a crash) is only believed for processes that carry this
        // service's marker in their environment: a forged file cannot make it signal anything else.
        return requiredMarker is null
            ? [.. members.Values]
            : [.. members.Values.Where(m => CarriesMarker(m.Pid, requiredMarker))];
    }

    /// <summary>
    /// SIGTERM to every member, SIGKILL to what is left after <paramref name="gracePeriod"/> (and to
    /// anything forked meanwhile); completes when no member is alive or the kill wait runs out.
    /// </summary>
    public async Task StopAsync(TimeSpan gracePeriod, TimeProvider time)
    {
        var members = Members();
        Signal(members, Native.SigTerm);
        var remaining = await WaitGoneAsync(members, gracePeriod, time).ConfigureAwait(false);
        var late = Members();
        if (remaining.Count > 0 || late.Count > 0)
        {
            var all = remaining.Concat(late).DistinctBy(m => m.Pid).ToList();
            Signal(all, Native.SigKill);
            await WaitGoneAsync(all, KillWait, time).ConfigureAwait(false);
        }
    }

    private static bool CarriesMarker(int pid, string marker)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/environ").Split('\0').Contains(marker, StringComparer.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public static bool IsAlive(ProcStat member) =>
        ProcStat.Read(member.Pid) is { } now && now.StartTime == member.StartTime && !now.IsZombie;

    // The root's pid may have been reused since it died; if the new holder leads a session of its own,
    // that session is someone else's and must not be touched.
    private bool SessionIsStillOurs(ProcStat root, bool rootIsOurs) =>
        rootIsOurs || root.Pid != RootPid || root.Session != RootPid;

    private void Signal(IEnumerable<ProcStat> members, int signal)
    {
        foreach (var member in members)
        {
            if (IsAlive(member))
            {
                Native.Kill(member.Pid, signal);
            }
        }

        // The group too: it catches a member forked between the scan and the signal.
        var root = ProcStat.Read(RootPid) ?? default;
        if (OwnsSession && SessionIsStillOurs(root, root.Pid == RootPid && root.StartTime == RootStartTime))
        {
            Native.Kill(-RootPid, signal);
        }
    }

    private static async Task<IReadOnlyList<ProcStat>> WaitGoneAsync(IReadOnlyList<ProcStat> members, TimeSpan limit, TimeProvider time)
    {
        var deadline = time.GetTimestamp() + (long)(limit.TotalSeconds * time.TimestampFrequency);
        while (true)
        {
            var alive = members.Where(IsAlive).ToList();
            if (alive.Count == 0 || time.GetTimestamp() >= deadline)
            {
                return alive;
            }

            await Task.Delay(PollInterval, time).ConfigureAwait(false);
        }
    }
}
