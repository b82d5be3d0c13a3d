using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Skia.Pool.Domain;

namespace Skia.Pool.Api.Configuration;

/// <summary>
/// Kestrel's limits, set on purpose rather than inherited (docs/proxy.md explains each). Requests beyond
/// them are answered by Kestrel itself (414, 431, 408, 413) before routing, so they never start an instance.
/// </summary>
internal static class KestrelLimits
{
    public static void Apply(KestrelServerOptions kestrel, IOptions<PoolOptions> pool)
    {
        var limits = kestrel.Limits;
        limits.MaxRequestBodySize = pool.Value.MaxRequestBodyBytes; // 413, for chunked bodies too
        limits.MaxRequestLineSize = 16 * 1024;                      // 414: long enough for any sane query
        limits.MaxRequestHeadersTotalSize = 64 * 1024;              // 431: room for a few large cookies
        limits.MaxRequestHeaderCount = 100;                         // 431
        limits.RequestHeadersTimeout = TimeSpan.FromSeconds(30);    // 408: a client that never finishes its headers
        limits.KeepAliveTimeout = pool.Value.KeepAliveTimeout;
        // Slow senders: below 240 bytes/s after a 5 s grace the upload is cut (408 if nothing was answered yet).
        limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(5));
        limits.MinResponseDataRate = new MinDataRate(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(5));
        kestrel.AddServerHeader = false; // the service does not advertise its server software
    }
}
