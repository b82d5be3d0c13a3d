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
    // The list is read on every proxied request: parse it once per options instance, not once per request.
    private static TrustedList? _parsed;

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

    public static bool IsTrustedProxy(HttpContext context, IPAddress peer) =>
        IsTrustedProxy(context?.RequestServices?.GetService<IOptions<PoolOptions>>()?.Value.TrustedProxies ?? [], peer);

    /// <summary>True when <paramref name="peer"/> is one of <paramref name="trusted"/> (<c>Pool:TrustedProxies</c>).</summary>
    public static bool IsTrustedProxy(string[] trusted, IPAddress peer)
    {
        ArgumentNullException.ThrowIfNull(trusted);
        return trusted.Length > 0 && Parsed(trusted).Contains(Normalize(peer)!);
    }

    private static IPAddress[] Parsed(string[] trusted)
    {
        var cached = _parsed;
        if (cached is null || !ReferenceEquals(cached.Source, trusted))
        {
            cached = new TrustedList(trusted, [.. trusted.Select(t => IPAddress.TryParse(t, out var a) ? Normalize(a) : null).OfType<IPAddress>()]);
            _parsed = cached;
        }

        return cached.Addresses;
    }

    private sealed record TrustedList(string[] Source, IPAddress[] Addresses);

    private static IPAddress? Normalize(IPAddress? address) =>
        address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;
}
