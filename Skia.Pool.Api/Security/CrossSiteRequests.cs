namespace Skia.Pool.Api.Security;

/// <summary>
/// Tells a browser's cross-site request from a same-origin one, without tokens: browsers say where a
/// request comes from, and a page on another site cannot make them lie. <c>Sec-Fetch-Site</c> (sent by
/// every current browser) must be <c>same-origin</c> or <c>none</c> (typed or bookmarked by the user);
/// without it, an <c>Origin</c> must name this service's own host. A request with neither header is not
/// from a browser (curl, scripts): nothing in it was forged by a page, so it passes.
/// </summary>
internal static class CrossSiteRequests
{
    public static bool IsCrossSite(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        if (fetchSite.Length > 0)
        {
            return fetchSite is not ("same-origin" or "none");
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return false;
        }

        // "null" (sandboxed frames, some redirects) and anything unparsable is not this origin.
        return !Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            || !string.Equals(Authority(uri), request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }

    // host[:port], the port only when it is not the scheme's default: the form a Host header takes. The
    // scheme is not compared: behind a TLS-terminating proxy the browser says https and the service sees http.
    private static string Authority(Uri uri) => uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
}
