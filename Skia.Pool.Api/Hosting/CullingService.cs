using Microsoft.Extensions.Options;
using Skia.Pool.Domain;
using Skia.Pool.Domain.Lifecycle;

namespace Skia.Pool.Api.Hosting;

/// <summary>Runs a cull every <c>Pool:CullInterval</c>. A failing tick is logged and the next one runs as usual.</summary>
internal sealed partial class CullingService(
    InstanceManager instances, IOptions<PoolOptions> options, TimeProvider time, ILogger<CullingService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CullInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    var stopped = await instances.CullAsync().ConfigureAwait(false);
                    if (stopped > 0)
                    {
                        Log.Culled(logger, stopped, instances.FreeSlots);
                    }
                }
#pragma warning disable CA1031 // One bad tick must never end culling for the life of the service.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    Log.TickFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Culled {Count} instances; {Free} slots free")]
        public static partial void Culled(ILogger logger, int count, int free);

        [LoggerMessage(EventId = 1102, Level = LogLevel.Error, Message = "A cull tick failed")]
        public static partial void TickFailed(ILogger logger, Exception exception);
    }
}
