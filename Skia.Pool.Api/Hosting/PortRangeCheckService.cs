using Microsoft.Extensions.Options;
using Skia.Pool.Domain;
using Skia.Pool.Infrastructure.Processes;

namespace Skia.Pool.Api.Hosting;

/// <summary>Warns at start when the slot ports overlap the kernel's ephemeral range (they work, but collide now and then).</summary>
internal sealed partial class PortRangeCheckService(IOptions<PoolOptions> options, ILogger<PortRangeCheckService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var first = options.Value.StartPort;
        var last = first + options.Value.MaxInstances - 1;
        if (EphemeralPorts.Overlaps(first, last) && EphemeralPorts.Range() is { } range)
        {
            Log.Overlap(logger, first, last, range.Low, range.High);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "Slot ports {First}-{Last} overlap the kernel's ephemeral ports {Low}-{High} (net.ipv4.ip_local_port_range): outgoing connections may take a slot's port, which is then skipped. Move Pool:StartPort below {Low}.")]
        public static partial void Overlap(ILogger logger, int first, int last, int low, int high);
    }
}
