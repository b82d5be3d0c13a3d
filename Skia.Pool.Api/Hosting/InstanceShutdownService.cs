using Skia.Pool.Domain.Lifecycle;

namespace Skia.Pool.Api.Hosting;

/// <summary>When the service stops, every instance stops with it: no backend outlives the pool.</summary>
internal sealed partial class InstanceShutdownService(InstanceManager instances, ILogger<InstanceShutdownService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var running = instances.List().Count;
        await instances.StopAllAsync().ConfigureAwait(false);
        Log.StoppedAll(logger, running);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Stopped all {Count} instances for shutdown")]
        public static partial void StoppedAll(ILogger logger, int count);
    }
}
