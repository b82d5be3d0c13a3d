using System.Globalization;

namespace Skia.Pool.Infrastructure.Processes;

/// <summary>
/// Resident memory of whole instance trees, from <c>/proc</c>: an instance is rarely one process
/// (<c>xvfb-run</c> starts a shell, <c>Xvfb</c> and the backend), so each root's session and every
/// descendant are summed. One scan of <c>/proc</c> serves every root asked about.
/// </summary>
public static class ProcessMemory
{
    /// <summary>Bytes resident per root pid; a root that is gone is left out.</summary>
    public static IReadOnlyDictionary<int, long> ResidentBytesOfTrees(IReadOnlyCollection<int> roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        if (roots.Count == 0)
        {
            return new Dictionary<int, long>();
        }

        var all = ProcStat.All().Where(p => !p.IsZombie).ToList();
        var children = all.ToLookup(p => p.ParentPid);
        var result = new Dictionary<int, long>();
        foreach (var root in roots.Where(r => all.Exists(p => p.Pid == r)))
        {
            var members = new HashSet<int> { root };
            members.UnionWith(all.Where(p => p.Session == root).Select(p => p.Pid));
            var pending = new Stack<int>(members);
            while (pending.TryPop(out var pid))
            {
                foreach (var child in children[pid].Where(c => members.Add(c.Pid)))
                {
                    pending.Push(child.Pid);
                }
            }

            result[root] = members.Sum(ResidentBytes);
        }

        return result;
    }

    /// <summary>VmRSS of one process in bytes; 0 when it is gone or has no memory of its own.</summary>
    internal static long ResidentBytes(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return ParseKibibytes(line["VmRSS:".Length..]) * 1024;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Gone while we read.
        }

        return 0;
    }

    internal static long ParseKibibytes(string field)
    {
        var number = field.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var kib) ? kib : 0;
    }
}
