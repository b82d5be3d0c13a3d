using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;

namespace Skia.Pool.Infrastructure.Http;

/// <summary>
/// Headers a sender names in its <c>Connection</c> header are hop-by-hop (RFC 9110 7.6.1) and must not be
/// forwarded. YARP already drops the fixed hop-by-hop set (Connection, Keep-Alive, Proxy-*, TE but
/// trailers, Upgrade outside an upgrade, Transfer-Encoding); this drops the ones named per message.
/// A message's framing and its host are never dropped this way, whatever <c>Connection</c> names: a
/// forwarder that dropped <c>Content-Length</c> but sent the body would let the body be read as a second
/// request (smuggling).
/// </summary>
public static class ConnectionHeaders
{
    private static readonly string[] NeverNamed = ["close", "keep-alive", "upgrade", "Content-Length", "Transfer-Encoding", "Host"];

    public static IEnumerable<string> NamedIn(IEnumerable<string?> connectionValues) =>
        connectionValues
            .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Where(name => IsToken(name) && !NeverNamed.Contains(name, StringComparer.OrdinalIgnoreCase));

    /// <summary>Removes the named headers from a forwarded request, whether HttpClient files them as request or content headers.</summary>
    public static void RemoveNamed(HttpRequestMessage request, IEnumerable<string?> connectionValues)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (var name in NamedIn(connectionValues))
        {
            // HttpHeaders throws for a name that belongs to the other collection (Content-Type on request headers).
            _ = TryRemove(request.Headers, name) || (request.Content is { } content && TryRemove(content.Headers, name));
        }
    }

    private static bool TryRemove(HttpHeaders headers, string name)
    {
        try
        {
            return headers.Remove(name);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    // RFC 9110 token characters; anything else cannot name a header and is ignored.
    private static bool IsToken(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal));

    public static void RemoveNamed(IHeaderDictionary headers, IEnumerable<string?> connectionValues)
    {
        foreach (var name in NamedIn(connectionValues).ToList())
        {
            headers.Remove(name);
        }
    }
}
