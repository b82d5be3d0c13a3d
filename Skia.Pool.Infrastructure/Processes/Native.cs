using System.Runtime.InteropServices;

namespace Skia.Pool.Infrastructure.Processes;

/// <summary>The few libc calls .NET does not expose: signalling a process group or an arbitrary pid.</summary>
internal static partial class Native
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    /// <summary>kill(2); a negative pid signals the whole process group. Returns false when nothing was signalled.</summary>
    public static bool Kill(int pid, int signal) => kill(pid, signal) == 0;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);
}
