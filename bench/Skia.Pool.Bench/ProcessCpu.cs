using System.Globalization;

namespace Skia.Pool.Bench;

/// <summary>The user+system CPU time processes have used so far (all their threads), from <c>/proc/{pid}/stat</c>.</summary>
internal static class ProcessCpu
{
    /// <summary>/proc counts in USER_HZ, which Linux fixes at 100 on every architecture .NET runs on.</summary>
    private const double TicksPerSecond = 100;

    public static double Seconds(IEnumerable<int> pids) => pids.Sum(Seconds);

    private static double Seconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name, in parentheses, may hold spaces: count the fields after its closing ")".
        // utime and stime are the 14th and 15th fields of the line, the 12th and 13th after the name.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }
}
