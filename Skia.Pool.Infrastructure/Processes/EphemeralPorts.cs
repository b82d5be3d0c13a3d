using System.Globalization;

namespace Skia.Pool.Infrastructure.Processes;

/// <summary>
/// The kernel's range for the local ports of outgoing connections. A slot port inside it can be taken at
/// any moment by some connection's local end (the pool's own connections to its instances included).
/// </summary>
public static class EphemeralPorts
{
    /// <summary>The range from /proc/sys/net/ipv4/ip_local_port_range; null where it cannot be read.</summary>
    public static (int Low, int High)? Range()
    {
        try
        {
            var parts = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range")
                .Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>True when [<paramref name="first"/>, <paramref name="last"/>] shares a port with the ephemeral range.</summary>
    public static bool Overlaps(int first, int last) => Range() is { } range && first <= range.High && last >= range.Low;
}
