using System.Globalization;
using System.Runtime.InteropServices;

namespace Skia.Pool.Infrastructure.Processes;

/// <summary>
/// The inodes of the sockets a process has open, read from its <c>/proc/{pid}/fd</c> links. A .NET
/// instance holds about 190 descriptors, most of them its open assemblies. Through .NET's directory
/// enumeration and <c>FileInfo.LinkTarget</c> the scan took 2–5 ms of every cold start here
/// (docs/BENCHMARKS.md), and even bare readlink(2) costs the kernel about 5 µs a link. Here the folder is
/// read with readdir(3), each link into a stack buffer, and a check that knows which sockets it looks
/// for stops as soon as it has them.
/// </summary>
internal static partial class OpenSockets
{
    /// <summary>Adds to <paramref name="inodes"/> the inode of every socket open in <paramref name="pid"/>; nothing when it is gone or not ours to look into.</summary>
    public static void AddOf(int pid, HashSet<string> inodes) => Scan(pid, wanted: null, inodes);

    /// <summary>
    /// Adds to <paramref name="found"/> those of <paramref name="wanted"/> that are open in <paramref name="pid"/>,
    /// and stops as soon as all of them are. Descriptors are read newest (highest) first: the sockets an
    /// instance's check looks for are its listener and the probe's connection, opened after everything its
    /// runtime loaded at boot, so the scan usually ends after a tenth of the links.
    /// </summary>
    public static void FindIn(int pid, IReadOnlySet<string> wanted, HashSet<string> found) => Scan(pid, wanted, found);

    private static void Scan(int pid, IReadOnlySet<string>? wanted, HashSet<string> found)
    {
        if (wanted is not null && found.IsSupersetOf(wanted))
        {
            return;
        }

        var folder = string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/fd");
        if (Descriptors(folder) is not { } descriptors)
        {
            return; // gone, or not ours to look into
        }

        descriptors.Sort(static (a, b) => b.CompareTo(a));
        foreach (var descriptor in descriptors)
        {
            if (wanted is not null && found.IsSupersetOf(wanted))
            {
                return;
            }

            if (ReadSocketInode(string.Create(CultureInfo.InvariantCulture, $"{folder}/{descriptor}")) is { } inode
                && (wanted is null || wanted.Contains(inode)))
            {
                found.Add(inode);
            }
        }
    }

    // readdir(3) directly: .NET's directory enumeration stats the target of every symbolic link it meets
    // (to tell a directory), and each fd is one: 1 ms for a .NET instance's descriptors, against 0.1.
    private static unsafe List<int>? Descriptors(string folder)
    {
        var directory = opendir(folder);
        if (directory == 0)
        {
            return null;
        }

        try
        {
            List<int> descriptors = [];
            while (readdir64(directory) is var entry && entry != 0)
            {
                var name = MemoryMarshal.CreateReadOnlySpanFromNullTerminated((byte*)entry + DirentNameOffset);
                if (System.Buffers.Text.Utf8Parser.TryParse(name, out int descriptor, out var used) && used == name.Length)
                {
                    descriptors.Add(descriptor);
                }
            }

            return descriptors;
        }
        finally
        {
            _ = closedir(directory);
        }
    }

    // "socket:[12345]" gives "12345"; any other link (a file, a pipe) or a vanished descriptor gives null.
    private static unsafe string? ReadSocketInode(string link)
    {
        Span<byte> path = stackalloc byte[64];
        Span<byte> target = stackalloc byte[32]; // a socket's target is short; a longer one is not a socket
        var length = System.Text.Encoding.ASCII.GetBytes(link, path[..^1]);
        path[length] = 0;
        nint read;
        fixed (byte* p = path, t = target)
        {
            read = readlink(p, t, target.Length);
        }

        if (read <= 0 || read == target.Length)
        {
            return null;
        }

        var text = target[..(int)read];
        return text.StartsWith("socket:["u8) && text[^1] == (byte)']'
            ? System.Text.Encoding.ASCII.GetString(text[8..^1])
            : null;
    }

    // struct dirent64: d_ino (8 bytes), d_off (8), d_reclen (2), d_type (1), then d_name.
    private const int DirentNameOffset = 19;

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial nint opendir(string name);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint readdir64(nint directory);

    [LibraryImport("libc")]
    private static partial int closedir(nint directory);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint readlink(byte* path, byte* buffer, nint size);
}
