using System.Diagnostics;
using System.Net;

namespace Skia.Pool.Infrastructure.Http;

/// <summary>
/// The one pool of HTTP connections to every instance, shared by the readiness probe and the proxy. A
/// probe's connection is kept, so the first forwarded request reuses it instead of opening a second
/// connection to an instance that has only just booted (that second connection cost 7–13 ms of a cold
/// start here, docs/BENCHMARKS.md). Idle connections to an instance that has stopped are noticed as closed
/// and dropped before reuse.
/// </summary>
public sealed class InstanceConnections : IDisposable
{
    private readonly SocketsHttpHandler _handler;

    /// <param name="propagator">
    /// Trace headers for forwarded requests, or null to send the client's own unchanged (and skip
    /// HttpClient's diagnostics handler on every request) when spans are not recorded.
    /// </param>
    public InstanceConnections(DistributedContextPropagator? propagator)
    {
        _handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = false,
            ActivityHeadersPropagator = propagator,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        };
        Invoker = new HttpMessageInvoker(_handler, disposeHandler: false);
    }

    /// <summary>For forwarding (YARP takes an invoker).</summary>
    public HttpMessageInvoker Invoker { get; }

    /// <summary>A client over the same connections; its own timeout is off, the caller's cancellation governs.</summary>
    public HttpClient CreateClient() => new(_handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };

    public void Dispose()
    {
        Invoker.Dispose();
        _handler.Dispose();
    }
}
