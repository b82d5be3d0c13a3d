using System.Net;
using Microsoft.Extensions.Options;
using Skia.Pool.Domain;

namespace Skia.Pool.Api.Security;

/// <summary>
/// Who the client is, for per-client limits and the loopback-only admin rule: the TCP peer, unless the
/// peer is one of <c>Pool:TrustedProxies</c> and says (in <c>X-Forwarded-For</c>) whom it forwards for —
/// then the address it names last. Otherwise every client behind a local reverse proxy would look like
/// loopback, and share one rate limit.
/// </summary>
internal static class ClientAddress
{
    public static string Of(HttpContext context) => Resolve(context)?.ToString() ?? "unknown";

    public static IPAddress? Resolve(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var peer = Normalize(context.Connection.RemoteIpAddress);
        if (peer is null || !IsTrustedProxy(context, peer))
        {
            return peer;
        }

        var forwarded = context.Request.Headers["X-Forwarded-For"].ToString();
        var last = forwarded.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        return last is not null && IPAddress.TryParse(last, out var client) ? Normalize(client) : peer;
    }

    public static bool IsTrustedProxy(HttpContext context, IPAddress peer)
    {
        var trusted = context.RequestServices?.GetService<IOptions<PoolOptions>>()?.Value.TrustedProxies ?? [];
        return trusted.Length > 0 && trusted.Any(t => IPAddress.TryParse(t, out var address) && address.Equals(Normalize(peer)));
    }

    private static IPAddress? Normalize(IPAddress? address) =>
        address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;
}
