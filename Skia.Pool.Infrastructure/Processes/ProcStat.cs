using System.Globalization;

namespace Skia.Pool.Infrastructure.Processes;

/// <summary>
/// The fields of <c>/proc/{pid}/stat</c> the pool needs. <see cref="StartTime"/> (clock ticks since
/// boot) tells a process apart from a later one that got the same pid.
/// </summary>
internal readonly record struct ProcStat(int Pid, char State, int ParentPid, int ProcessGroup, int Session, ulong StartTime)
{
    public bool IsZombie => State is 'Z' or 'X';

    public static ProcStat? Read(int pid)
    {
        try
        {
            return Parse(pid, File.ReadAllText($"/proc/{pid}/stat"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // gone, or not ours to read
        }
    }

    /// <summary>Every process on the machine; racy by nature (processes come and go while it reads).</summary>
    public static IEnumerable<ProcStat> All()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Read(pid) is { } stat)
            {
                yield return stat;
            }
        }
    }

    // The command name (field 2) is in parentheses and may itself contain spaces and parentheses,
    // so fields are counted from the last ')'.
    internal static ProcStat? Parse(int pid, string text)
    {
        var close = text.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        var fields = text[(close + 2)..].Split(' ');
        // fields[0] is field 3 (state); field n is fields[n - 3].
        return fields.Length < 20
            ? null
            : new ProcStat(
                pid,
                fields[0][0],
                int.Parse(fields[1], CultureInfo.InvariantCulture),
                int.Parse(fields[2], CultureInfo.InvariantCulture),
                int.Parse(fields[3], CultureInfo.InvariantCulture),
                ulong.Parse(fields[19], CultureInfo.InvariantCulture));
    }
}
