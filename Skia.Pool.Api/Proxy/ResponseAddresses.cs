namespace Skia.Pool.Api.Proxy;

/// <summary>
/// An instance believes it is served at <c>/</c> on its own port: every address its answer names
/// (redirects, <c>201</c> locations, <c>Content-Location</c>, cookie paths) is mapped back under the
/// instance's prefix. docs/proxy.md lists the rules; both forwarding paths apply them.
/// </summary>
internal static class ResponseAddresses
{
    public static void MapIntoPrefix(IHeaderDictionary headers, int status, string prefix, int backendPort)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if ((status is >= 300 and < 400 or StatusCodes.Status201Created) && headers.Location.Count > 0)
        {
            headers.Location = LocationRewriter.Rewrite(headers.Location.ToString(), prefix, backendPort);
        }

        if (headers.ContentLocation.Count > 0)
        {
            headers.ContentLocation = LocationRewriter.Rewrite(headers.ContentLocation.ToString(), prefix, backendPort);
        }

        if (headers.SetCookie.Count > 0)
        {
            headers.SetCookie = new([.. headers.SetCookie.Select(c => CookiePathRewriter.Rewrite(c ?? "", prefix))]);
        }
    }
}
