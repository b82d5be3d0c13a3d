using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Skia.Pool.Infrastructure.Processes;

/// <summary>
/// Who holds a loopback port. Before a slot is used its port must be free, and after readiness the
/// listener must belong to the instance just started: a port held by a foreign process must never
/// receive a user's traffic.
/// </summary>
internal static class PortCheck
{
    private const string Listen = "0A";
    private const string Established = "01";

    /// <summary>True when 127.0.0.1:<paramref name="port"/> can be bound right now (as the instance will bind it).</summary>
    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// True when something listens on <paramref name="port"/> and every socket listening on it, on any
    /// address, is open in some process among <paramref name="pids"/>. One listener of theirs is not
    /// enough: an instance on [::1] alone leaves 127.0.0.1, where the pool connects, to a stranger.
    /// </summary>
    public static bool IsListenedToBy(int port, IEnumerable<int> pids)
    {
        var inodes = ListeningInodes(port);
        return inodes.Count > 0 && AreHeldBy(inodes, pids);
    }

    /// <summary>True when every socket inode in <paramref name="inodes"/> is open in some process among <paramref name="pids"/>.</summary>
    public static bool AreHeldBy(IReadOnlyCollection<string> inodes, IEnumerable<int> pids) =>
        inodes.All(SocketInodesOf(pids).Contains);

    /// <summary>The inodes of every socket open in the processes <paramref name="pids"/> (from their /proc/{pid}/fd links).</summary>
    public static HashSet<string> SocketInodesOf(IEnumerable<int> pids)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pid in pids)
        {
            OpenSockets.AddOf(pid, inodes);
        }

        return inodes;
    }

    /// <summary>
    /// The inode of the socket at the listening end of the loopback connection from
    /// <paramref name="remotePort"/> to <paramref name="port"/>; null when there is no such connection.
    /// </summary>
    internal static string? ConnectionInode(int port, int remotePort) =>
        ListeningSockets.TryConnectionInode(port, remotePort, out var inode) ? inode : ConnectionInodeFromProc(port, remotePort);

    internal static string? ConnectionInodeFromProc(int port, int remotePort)
    {
        var local = ":" + port.ToString("X4", CultureInfo.InvariantCulture);
        var remote = ":" + remotePort.ToString("X4", CultureInfo.InvariantCulture);
        foreach (var (table, loopback) in new[] { ("/proc/net/tcp", "0100007F"), ("/proc/net/tcp6", "0000000000000000FFFF00000100007F") })
        {
            if (!File.Exists(table))
            {
                continue;
            }

            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 9 && fields[3] == Established && fields[1] == loopback + local && fields[2] == loopback + remote)
                {
                    return fields[9];
                }
            }
        }

        return null;
    }

    /// <summary>Inodes of sockets in LISTEN state on <paramref name="port"/>: from the kernel's socket diagnostics, else /proc/net/tcp and tcp6.</summary>
    internal static HashSet<string> ListeningInodes(int port) => ListeningSockets.InodesOn(port) ?? ListeningInodesFromProc(port);

    /// <summary>The same from /proc/net/tcp and tcp6: slower (the kernel walks every connection), but always readable.</summary>
    internal static HashSet<string> ListeningInodesFromProc(int port)
    {
        var hexPort = port.ToString("X4", CultureInfo.InvariantCulture);
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table))
            {
                continue;
            }

            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 9 && fields[3] == Listen && fields[1].EndsWith(":" + hexPort, StringComparison.Ordinal))
                {
                    inodes.Add(fields[9]);
                }
            }
        }

        return inodes;
    }
}
