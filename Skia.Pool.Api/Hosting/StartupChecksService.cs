using Microsoft.Extensions.Options;
using Skia.Pool.Domain;
using Skia.Pool.Infrastructure.Processes;

namespace Skia.Pool.Api.Hosting;

/// <summary>
/// Warnings an operator should see at start rather than on the first user's request: a command that
/// does not exist, the FakeServe stand-in serving outside Development, no admin token outside Development,
/// slot ports that overlap the kernel's ephemeral range, forwarded headers believed from any peer. None
/// stops the service (/readyz reports the first).
/// </summary>
internal sealed partial class StartupChecksService(
    IOptions<PoolOptions> options, IHostEnvironment environment, IConfiguration configuration, ILogger<StartupChecksService> logger)
    : IHostedService
{
    // ASPNETCORE_FORWARDEDHEADERS_ENABLED, as configuration sees it (the ASPNETCORE_ prefix is stripped).
    private const string ForwardedHeadersEnabled = "FORWARDEDHEADERS_ENABLED";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var pool = options.Value;
        var (command, _) = CommandTemplate.Resolve(pool, AppContext.BaseDirectory);
        if (CommandTemplate.FindExecutable(command) is null)
        {
            Log.CommandMissing(logger, command);
        }

        if (string.IsNullOrWhiteSpace(pool.Command) && !environment.IsDevelopment())
        {
            Log.ServingStandIn(logger, environment.EnvironmentName);
        }

        if (string.IsNullOrEmpty(pool.AdminToken) && !environment.IsDevelopment())
        {
            Log.NoAdminToken(logger);
        }

        var first = pool.StartPort;
        var last = first + pool.MaxInstances - 1;
        if (EphemeralPorts.Overlaps(first, last) && EphemeralPorts.Range() is { } range)
        {
            Log.Overlap(logger, first, last, range.Low, range.High);
        }

        if (bool.TryParse(configuration[ForwardedHeadersEnabled], out var forwarded) && forwarded)
        {
            Log.ForwardedHeadersFromAnyone(logger);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "Slot ports {First}-{Last} overlap the kernel's ephemeral ports {Low}-{High} (net.ipv4.ip_local_port_range): outgoing connections may take a slot's port, which is then skipped. Move Pool:StartPort below {Low}.")]
        public static partial void Overlap(ILogger logger, int first, int last, int low, int high);

        [LoggerMessage(EventId = 1402, Level = LogLevel.Warning, Message = "The instance command '{Command}' was not found (Pool:Command): every start will fail until it is installed")]
        public static partial void CommandMissing(ILogger logger, string command);

        [LoggerMessage(EventId = 1403, Level = LogLevel.Warning, Message = "Pool:Command is empty in the {Environment} environment: instances are the FakeServe stand-in, not a real backend")]
        public static partial void ServingStandIn(ILogger logger, string environment);

        [LoggerMessage(EventId = 1404, Level = LogLevel.Warning, Message = "Pool:AdminToken is not set: admin routes (every instance id) answer any process on this machine, instances included. Set a token in production")]
        public static partial void NoAdminToken(ILogger logger);

        [LoggerMessage(EventId = 1405, Level = LogLevel.Warning, Message = "ASPNETCORE_FORWARDEDHEADERS_ENABLED believes X-Forwarded-For from any peer: a client that reaches this port can claim to be 127.0.0.1 and pass the loopback admin check. Unset it and name the reverse proxy in Pool:TrustedProxies")]
        public static partial void ForwardedHeadersFromAnyone(ILogger logger);
    }
}
