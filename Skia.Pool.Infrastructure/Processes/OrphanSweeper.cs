using Microsoft.Extensions.Logging;

namespace Skia.Pool.Infrastructure.Processes;

/// <summary>
/// At start-up, stops every instance process tree a previous run of this service left behind (it was
/// killed and could not stop them). Each remembered root is identified by pid and start time, so an
/// unrelated process that reused a pid is left alone.
/// </summary>
public sealed partial class OrphanSweeper(InstanceRegistry registry, TimeProvider time, ILogger<OrphanSweeper> logger)
{
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(1);

    /// <summary>Stops the leftovers and returns how many processes were found.</summary>
    public async Task<int> SweepAsync()
    {
        var found = 0;
        List<Task> stops = [];
        foreach (var (pid, startTime) in registry.ReadPrevious())
        {
            var tree = new ProcessTree(pid, startTime, ownsSession: true, requiredMarker: registry.Marker);
            var members = tree.Members();
            if (members.Count == 0)
            {
                continue;
            }

            found += members.Count;
            Log.Orphans(logger, pid, members.Count);
            stops.Add(tree.StopAsync(GracePeriod, time));
        }

        await Task.WhenAll(stops).ConfigureAwait(false);
        registry.DeleteQuietly(registry.ScratchRoot); // temp folders of the previous run's instances
        try
        {
            if (File.Exists(registry.Path))
            {
                File.Delete(registry.Path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.CannotDelete(logger, registry.Path, e);
        }

        return found;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2030, Level = LogLevel.Warning, Message = "Stopping {Count} process(es) of instance root pid {Pid} left by a previous run")]
        public static partial void Orphans(ILogger logger, int pid, int count);

        [LoggerMessage(EventId = 2031, Level = LogLevel.Warning, Message = "Cannot delete the instance registry {Path}")]
        public static partial void CannotDelete(ILogger logger, string path, Exception exception);
    }
}
