namespace Skia.Pool.Api.Endpoints;

/// <summary>
/// Paths that belong to the service itself. The catch-all instance route would otherwise take a wrong
/// method on one of them (GET /instanceNew, PUT /{id}/instanceStatus) and treat it as an instance request:
/// these get 405 instead, and never start or reach an instance.
/// </summary>
internal static class ServiceRoutes
{
    /// <summary>The methods the service's own route at <paramref name="path"/> takes, or null when it is no such route.</summary>
    /// <remarks>
    /// Each route's whole shape counts, not only its first segment: <c>GET /admin/nope</c> is no route (404),
    /// not a route that "takes GET". Asked on every proxied request, so it reads the path in place.
    /// </remarks>
    public static string? AllowedMethods(string path)
    {
        var trimmed = path.AsSpan().Trim('/');
        var segments = trimmed.Count('/') + 1;
        var firstEnd = trimmed.IndexOf('/');
        var first = firstEnd < 0 ? trimmed : trimmed[..firstEnd];
        var last = trimmed[(trimmed.LastIndexOf('/') + 1)..];
        return first switch
        {
            "instanceNew" when segments == 1 => "POST",
            "instances" when segments == 1 => "GET",
            "instances" when segments == 2 => "GET, DELETE",
            "instances" when segments == 3 && last is "restart" => "POST",
            "healthz" or "readyz" when segments == 1 => "GET, HEAD",
            "metrics" when segments == 1 => "GET",
            "openapi" when segments == 2 => "GET",                                           // /openapi/{document}.json
            "admin" when segments == 1 || (segments == 2 && last is "rows" or "admin.js") => "GET",
            "scalar" when segments <= 2 => "GET",                                            // the viewer and its assets
            _ when segments == 2 && last is "instanceStatus" => "GET, HEAD, POST",
            _ => null,
        };
    }
}
