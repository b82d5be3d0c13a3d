using System.Net;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Skia.Pool.Api.Problems;
using Skia.Pool.Api.Proxy.Relay;
using Skia.Pool.Api.Security;
using Skia.Pool.Api.Telemetry;
using Skia.Pool.Domain;
using Skia.Pool.Domain.Lifecycle;
using Skia.Pool.Infrastructure.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Skia.Pool.Api.Proxy;

/// <summary>
/// Forwards a request to its instance: plain HTTP/1.1 requests through the service's own relay
/// (<see cref="InstanceRelay"/>), everything else with YARP's <see cref="IHttpForwarder"/>: bodies stream
/// both ways, upgrades (WebSockets) pass through, hop-by-hop headers are dropped. Both report their
/// outcome as a <see cref="ForwarderError"/>, turned into an answer here. Connections to every instance are
/// pooled in <see cref="InstanceConnections"/>, shared with the readiness probe.
/// </summary>
internal sealed partial class InstanceForwarder(
    IHttpForwarder forwarder, InstanceRelay relay, InstanceConnections connections, IOptions<PoolOptions> options, PoolMetrics metrics, ILogger<InstanceForwarder> logger)
{
    /// <summary>How long an exchange with an instance may go without any I/O before it is ended (504).</summary>
    public static readonly TimeSpan ActivityTimeout = TimeSpan.FromMinutes(10);

    private static readonly ForwarderRequestConfig RequestConfig = new()
    {
        Version = HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        ActivityTimeout = ActivityTimeout,
    };

    public async Task ForwardAsync(HttpContext context, string prefix, InstanceLease lease)
    {
        var fromTrustedProxy = FromTrustedProxy(context);
        var stripPrefix = options.Value.StripPrefix;
        ForwarderError? relayed = null;
        if (relay.Enabled && InstanceRelay.Handles(context))
        {
            var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
            relayed = await relay.SendAsync(context, rawTarget, stripPrefix, lease.Port, prefix, ForwardedHeaders.Of(context, prefix, fromTrustedProxy))
                .ConfigureAwait(false);
        }

        metrics.Forwarded(relayed is null ? PoolMetrics.YarpForwarder : PoolMetrics.RelayForwarder);
        var error = relayed ?? await forwarder.SendAsync(context, $"http://127.0.0.1:{lease.Port}/", connections.Invoker, RequestConfig,
            new InstanceTransformer(prefix, lease.Port, stripPrefix, fromTrustedProxy)).ConfigureAwait(false);
        if (error == ForwarderError.None)
        {
            return;
        }

        if (error is ForwarderError.RequestCanceled or ForwarderError.ResponseBodyCanceled)
        {
            Log.ClientWentAway(logger, lease.Slot); // the client's choice, not the instance's failure
        }
        else
        {
            Log.ForwardFailed(logger, lease.Slot, error);
        }

        metrics.ProxyError(TelemetryNames.ProxyErrorKind(error));
        if (context.Response.HasStarted)
        {
            return; // YARP has aborted the response: a client must never see a truncated body as complete.
        }

        // The answer is ours now: none of the instance's headers, and the service's own security headers.
        context.Response.Headers.Clear();
        context.Features.GetRequiredFeature<IHttpResponseFeature>().ReasonPhrase = null;
        SecurityHeaders.Unmark(context);

        // Kestrel's body limit surfaces as a failed request-body copy; YARP has already chosen 413 for it.
        if (context.Response.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await ProblemResults.BodyTooLarge(options.Value.MaxRequestBodyBytes).ExecuteAsync(context).ConfigureAwait(false);
        }
        else if (error is ForwarderError.RequestBodyClient or ForwarderError.RequestCanceled or ForwarderError.RequestCreation)
        {
            // The client's request was at fault (a malformed or short body, a header that cannot be sent),
            // not the instance: say so, with the status YARP chose (400 or 408).
            var status = context.Response.StatusCode is >= 400 and < 500 ? context.Response.StatusCode : StatusCodes.Status400BadRequest;
            await ProblemResults.Problem(status, ProblemTypes.BadRequest, "The request could not be forwarded",
                $"The request was incomplete or malformed ({error}).").ExecuteAsync(context).ConfigureAwait(false);
        }
        else
        {
            var status = context.Response.StatusCode is >= 400 ? context.Response.StatusCode : StatusCodes.Status502BadGateway;
            await ProblemResults.Problem(status, ProblemTypes.Upstream, "The instance did not answer properly",
                $"Forwarding to the instance failed ({error}).").ExecuteAsync(context).ConfigureAwait(false);
        }
    }

    private static bool FromTrustedProxy(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } peer && ClientAddress.IsTrustedProxy(context, peer);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Forwarding to slot {Slot} failed: {Error}")]
        public static partial void ForwardFailed(ILogger logger, int slot, ForwarderError error);

        [LoggerMessage(EventId = 1302, Level = LogLevel.Debug, Message = "A client of slot {Slot} went away mid-request")]
        public static partial void ClientWentAway(ILogger logger, int slot);
    }
}
