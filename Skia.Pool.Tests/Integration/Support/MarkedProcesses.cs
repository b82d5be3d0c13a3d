using System.Globalization;
using System.Text;
using Skia.Pool.Infrastructure.Processes;

namespace Skia.Pool.Tests.Integration.Support;

/// <summary>
/// Finds every process a test started, however deep, by an environment variable the test sets on the
/// service and every child inherits. Unrelated processes never carry it, so cleanup touches only ours.
/// </summary>
internal static class MarkedProcesses
{
    public const string Variable = "SKIA_POOL_TEST_MARKER";

    public static IReadOnlyList<int> Find(string marker)
    {
        var needle = Encoding.UTF8.GetBytes($"{Variable}={marker}\0");
        List<int> found = [];
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var environ = File.ReadAllBytes(Path.Combine(dir, "environ"));
                if (environ.AsSpan().IndexOf(needle) >= 0 && !IsZombie(pid))
                {
                    found.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone while we looked.
            }
        }

        return found;
    }

    public static string Describe(int pid)
    {
        try
        {
            return $"{pid}: {File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim()}";
        }
        catch (IOException)
        {
            return $"{pid}: (gone)";
        }
    }

    public static void KillAll(string marker)
    {
        foreach (var pid in Find(marker))
        {
            Native.Kill(pid, Native.SigKill);
        }
    }

    public static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}") && !IsZombie(pid);

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }
}
