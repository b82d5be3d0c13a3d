using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Skia.Pool.Infrastructure.Processes;

/// <summary>
/// The inodes of TCP sockets listening on a port, asked of the kernel's socket diagnostics (netlink
/// <c>NETLINK_SOCK_DIAG</c>, what <c>ss</c> uses) for listening sockets only. Reading
/// <c>/proc/net/tcp</c> and <c>tcp6</c> instead makes the kernel walk its whole connection table, empty
/// buckets included: 2–5 ms per file here, on every start (docs/BENCHMARKS.md), and more with many
/// connections. Where netlink is not allowed (a restrictive sandbox) the caller falls back to /proc.
/// </summary>
internal static partial class ListeningSockets
{
    private const int AfNetlink = 16;
    private const int SockRawCloexec = 3 | 0x80000;
    private const int NetlinkSockDiag = 4;
    private const int Eintr = 4;

    private const ushort SockDiagByFamily = 20;
    private const ushort NlmsgError = 2;
    private const ushort NlmsgDone = 3;
    private const ushort RequestDumpFlags = 0x1 | 0x300; // NLM_F_REQUEST | NLM_F_DUMP

    private const byte AfInet = 2;
    private const byte AfInet6 = 10;
    private const byte IpProtoTcp = 6;
    private const byte TcpListen = 10;

    private const int MessageHeaderSize = 16;   // struct nlmsghdr
    private const int DiagRequestSize = 56;     // struct inet_diag_req_v2
    private const int DiagStateOffset = 1;      // in struct inet_diag_msg
    private const int DiagSourcePortOffset = 4; // big-endian, in its inet_diag_sockid
    private const int DiagInodeOffset = 68;

    /// <summary>Inodes (as /proc/{pid}/fd shows them) of TCP sockets listening on <paramref name="port"/>, IPv4 and IPv6; null when the kernel cannot be asked.</summary>
    public static HashSet<string>? InodesOn(int port)
    {
        var fd = socket(AfNetlink, SockRawCloexec, NetlinkSockDiag);
        if (fd < 0)
        {
            return null;
        }

        try
        {
            var inodes = new HashSet<string>(StringComparer.Ordinal);
            return DumpListeners(fd, AfInet, port, inodes) && DumpListeners(fd, AfInet6, port, inodes) ? inodes : null;
        }
        finally
        {
            _ = close(fd);
        }
    }

    private static bool DumpListeners(int fd, byte family, int port, HashSet<string> inodes)
    {
        Span<byte> request = stackalloc byte[MessageHeaderSize + DiagRequestSize];
        request.Clear();
        MemoryMarshal.Write(request, (uint)request.Length);          // nlmsg_len (netlink fields are in host order)
        MemoryMarshal.Write(request[4..], SockDiagByFamily);         // nlmsg_type
        MemoryMarshal.Write(request[6..], RequestDumpFlags);         // nlmsg_flags
        request[MessageHeaderSize] = family;                         // sdiag_family
        request[MessageHeaderSize + 1] = IpProtoTcp;                 // sdiag_protocol
        MemoryMarshal.Write(request[(MessageHeaderSize + 4)..], 1u << TcpListen); // idiag_states: the listening table only
        if (Send(fd, request) != request.Length)
        {
            return false;
        }

        var buffer = new byte[32 * 1024];
        while (true)
        {
            var received = (int)Receive(fd, buffer);
            if (received <= 0)
            {
                return false;
            }

            for (var offset = 0; offset + MessageHeaderSize <= received;)
            {
                var message = buffer.AsSpan(offset, received - offset);
                var length = (int)MemoryMarshal.Read<uint>(message);
                var type = MemoryMarshal.Read<ushort>(message[4..]);
                if (length < MessageHeaderSize || length > message.Length || type == NlmsgError)
                {
                    return false;
                }

                if (type == NlmsgDone)
                {
                    return true;
                }

                var diag = message[MessageHeaderSize..length];
                if (type == SockDiagByFamily && diag.Length >= DiagInodeOffset + 4 && diag[DiagStateOffset] == TcpListen
                    && BinaryPrimitives.ReadUInt16BigEndian(diag[DiagSourcePortOffset..]) == port)
                {
                    inodes.Add(MemoryMarshal.Read<uint>(diag[DiagInodeOffset..]).ToString(CultureInfo.InvariantCulture));
                }

                offset += (length + 3) & ~3; // NLMSG_ALIGN
            }
        }
    }

    private static unsafe nint Send(int fd, ReadOnlySpan<byte> data)
    {
        fixed (byte* pointer = data)
        {
            return send(fd, pointer, data.Length, 0);
        }
    }

    private static unsafe nint Receive(int fd, Span<byte> buffer)
    {
        fixed (byte* pointer = buffer)
        {
            nint received;
            do
            {
                received = recv(fd, pointer, buffer.Length, 0);
            }
            while (received < 0 && Marshal.GetLastPInvokeError() == Eintr);

            return received;
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint send(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint recv(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);
}
