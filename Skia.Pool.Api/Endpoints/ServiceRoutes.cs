namespace Skia.Pool.Api.Endpoints;

/// <summary>
/// Paths that belong to the service itself. The catch-all instance route would otherwise take a wrong
/// method on one of them (GET /instanceNew, PUT /{id}/instanceStatus) and treat it as an instance request:
/// these get 405 instead, and never start or reach an instance.
/// </summary>
internal static class ServiceRoutes
{
    private static readonly HashSet<string> FirstSegments =
        new(["instanceNew", "instances", "healthz", "readyz", "metrics", "openapi", "admin", "scalar"], StringComparer.Ordinal);

    /// <summary>The methods the service's own route at <paramref name="path"/> takes, or null when it is no such route.</summary>
    public static string? AllowedMethods(string path)
    {
        var segments = path.Trim('/').Split('/');
        if (FirstSegments.Contains(segments[0]))
        {
            return segments[0] switch
            {
                "instanceNew" => "POST",
                "instances" when segments.Length == 3 && segments[2] == "restart" => "POST",
                "instances" when segments.Length == 2 => "GET, DELETE",
                "healthz" or "readyz" => "GET, HEAD",
                _ => "GET",
            };
        }

        return segments.Length == 2 && segments[1] == "instanceStatus" ? "GET, HEAD, POST" : null;
    }
}
