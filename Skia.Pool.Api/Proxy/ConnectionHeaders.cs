using System.Net.Http.Headers;

namespace Skia.Pool.Api.Proxy;

/// <summary>
/// Headers a sender names in its <c>Connection</c> header are hop-by-hop (RFC 9110 7.6.1) and must not be
/// forwarded. YARP already drops the fixed hop-by-hop set (Connection, Keep-Alive, Proxy-*, TE but
/// trailers, Upgrade outside an upgrade, Transfer-Encoding); this drops the ones named per message.
/// </summary>
internal static class ConnectionHeaders
{
    public static IEnumerable<string> NamedIn(IEnumerable<string?> connectionValues) =>
        connectionValues
            .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Where(name => !name.Equals("close", StringComparison.OrdinalIgnoreCase)
                && !name.Equals("keep-alive", StringComparison.OrdinalIgnoreCase)
                && !name.Equals("upgrade", StringComparison.OrdinalIgnoreCase));

    public static void RemoveNamed(HttpHeaders headers, IEnumerable<string?> connectionValues)
    {
        foreach (var name in NamedIn(connectionValues))
        {
            headers.Remove(name);
        }
    }

    public static void RemoveNamed(IHeaderDictionary headers, IEnumerable<string?> connectionValues)
    {
        foreach (var name in NamedIn(connectionValues).ToList())
        {
            headers.Remove(name);
        }
    }
}
