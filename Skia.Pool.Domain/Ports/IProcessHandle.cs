namespace Skia.Pool.Domain.Ports;

/// <summary>A started instance process (and, behind it, its whole process tree).</summary>
public interface IProcessHandle
{
    int Pid { get; }

    /// <summary>Completes with the exit code once the process has exited and been reaped.</summary>
    Task<int> Exited { get; }

    /// <summary>The last lines the process wrote to stderr, oldest first (bounded).</summary>
    IReadOnlyList<string> RecentErrorLines { get; }

    /// <summary>
    /// Stops the process tree: a graceful signal first, a forced kill of whatever remains after
    /// <paramref name="gracePeriod"/>. Completes when nothing of the tree is left. Safe to call twice.
    /// </summary>
    Task StopAsync(TimeSpan gracePeriod);
}
