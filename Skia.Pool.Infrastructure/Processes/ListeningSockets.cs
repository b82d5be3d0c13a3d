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
    private const ushort RequestFlag = 0x1;              // NLM_F_REQUEST
    private const ushort RequestDumpFlags = RequestFlag | 0x300; // NLM_F_REQUEST | NLM_F_DUMP
    private const int Enoent = 2;

    private const byte AfInet = 2;
    private const byte AfInet6 = 10;
    private const byte IpProtoTcp = 6;
    private const byte TcpEstablished = 1;
    private const byte TcpListen = 10;

    private const int MessageHeaderSize = 16;   // struct nlmsghdr
    private const int DiagRequestSize = 56;     // struct inet_diag_req_v2
    private const int DiagStateOffset = 1;      // in struct inet_diag_msg
    private const int DiagSourcePortOffset = 4; // big-endian, in its inet_diag_sockid
    private const int DiagInodeOffset = 68;

    private static ReadOnlySpan<byte> Loopback => [127, 0, 0, 1];

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

    /// <summary>
    /// The inode of the socket at the instance's end of a loopback TCP connection: local
    /// 127.0.0.1:<paramref name="localPort"/>, remote 127.0.0.1:<paramref name="remotePort"/>, established.
    /// </summary>
    /// <returns>False when the kernel cannot be asked; otherwise true, with <paramref name="inode"/> null when there is no such connection.</returns>
    public static bool TryConnectionInode(int localPort, int remotePort, out string? inode)
    {
        inode = null;
        var fd = socket(AfNetlink, SockRawCloexec, NetlinkSockDiag);
        if (fd < 0)
        {
            return false;
        }

        try
        {
            Span<byte> request = stackalloc byte[MessageHeaderSize + DiagRequestSize];
            request.Clear();
            MemoryMarshal.Write(request, (uint)request.Length);
            MemoryMarshal.Write(request[4..], SockDiagByFamily);
            MemoryMarshal.Write(request[6..], RequestFlag);              // one socket, no dump
            var diag = request[MessageHeaderSize..];
            diag[0] = AfInet;                                            // a v4-mapped socket of a dual-stack listener is found too
            diag[1] = IpProtoTcp;
            MemoryMarshal.Write(diag[4..], uint.MaxValue);              // idiag_states: any
            var id = diag[8..];                                          // inet_diag_sockid
            BinaryPrimitives.WriteUInt16BigEndian(id, (ushort)localPort);
            BinaryPrimitives.WriteUInt16BigEndian(id[2..], (ushort)remotePort);
            Loopback.CopyTo(id[4..]);                                    // idiag_src
            Loopback.CopyTo(id[20..]);                                   // idiag_dst
            id[40..48].Fill(0xFF);                                       // idiag_cookie: INET_DIAG_NOCOOKIE
            if (Send(fd, request) != request.Length)
            {
                return false;
            }

            var buffer = new byte[8 * 1024];
            var received = (int)Receive(fd, buffer);
            if (received < MessageHeaderSize)
            {
                return false;
            }

            var message = buffer.AsSpan(0, received);
            var length = (int)MemoryMarshal.Read<uint>(message);
            var type = MemoryMarshal.Read<ushort>(message[4..]);
            if (length < MessageHeaderSize || length > message.Length)
            {
                return false;
            }

            if (type == NlmsgError)
            {
                // No such socket is an answer; any other error means the kernel could not be asked.
                return length >= MessageHeaderSize + 4 && MemoryMarshal.Read<int>(message[MessageHeaderSize..]) == -Enoent;
            }

            var found = message[MessageHeaderSize..length];
            if (type != SockDiagByFamily || found.Length < DiagInodeOffset + 4)
            {
                return false;
            }

            // The lookup falls back to a listener when no connection matches: only the connection counts.
            if (found[DiagStateOffset] == TcpEstablished
                && BinaryPrimitives.ReadUInt16BigEndian(found[DiagSourcePortOffset..]) == localPort
                && BinaryPrimitives.ReadUInt16BigEndian(found[(DiagSourcePortOffset + 2)..]) == remotePort)
            {
                inode = MemoryMarshal.Read<uint>(found[DiagInodeOffset..]).ToString(CultureInfo.InvariantCulture);
            }

            return true;
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
