using System.Collections.Frozen;
using Microsoft.Net.Http.Headers;

namespace Skia.Pool.Infrastructure.Http;

/// <summary>
/// Headers that belong to one connection, not to the message (RFC 9110 7.6.1), and are never passed
/// on by the relay in either direction: the same set YARP drops, so both forwarding paths agree. The
/// ones a message names in its own <c>Connection</c> header are dropped as well (<see cref="ConnectionHeaders"/>).
/// </summary>
public static class HopByHopHeaders
{
    private static readonly FrozenSet<string> Names = new[]
    {
        HeaderNames.Connection, HeaderNames.TransferEncoding, HeaderNames.KeepAlive, HeaderNames.Upgrade,
        HeaderNames.ProxyConnection, HeaderNames.ProxyAuthenticate, "Proxy-Authentication-Info", HeaderNames.ProxyAuthorization,
        "Proxy-Features", "Proxy-Instruction", "Security-Scheme", "ALPN", "Close", "HTTP2-Settings",
        HeaderNames.UpgradeInsecureRequests, HeaderNames.TE, HeaderNames.AltSvc,
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public static bool Contains(string name) => Names.Contains(name);

    /// <summary>Every name in the set, for a caller that compares them as bytes.</summary>
    public static IEnumerable<string> All => Names;
}
