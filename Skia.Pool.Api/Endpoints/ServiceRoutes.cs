namespace Skia.Pool.Api.Endpoints;

/// <summary>
/// Paths that belong to the service itself. The catch-all instance route would otherwise take a wrong
/// method on one of them (GET /instanceNew, PUT /{id}/instanceStatus) and treat it as an instance request:
/// these get 405 instead, and never start or reach an instance.
/// </summary>
internal static class ServiceRoutes
{
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> FirstSegments =
        new HashSet<string>(["instanceNew", "instances", "healthz", "readyz", "metrics", "openapi", "admin", "scalar"], StringComparer.Ordinal)
            .GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The methods the service's own route at <paramref name="path"/> takes, or null when it is no such route.</summary>
    /// <remarks>Asked on every proxied request, so it reads the path in place rather than splitting it.</remarks>
    public static string? AllowedMethods(string path)
    {
        var trimmed = path.AsSpan().Trim('/');
        var segments = trimmed.Count('/') + 1;
        var firstEnd = trimmed.IndexOf('/');
        var first = firstEnd < 0 ? trimmed : trimmed[..firstEnd];
        var last = trimmed[(trimmed.LastIndexOf('/') + 1)..];
        if (FirstSegments.Contains(first))
        {
            return first switch
            {
                "instanceNew" => "POST",
                "instances" when segments == 3 && last is "restart" => "POST",
                "instances" when segments == 2 => "GET, DELETE",
                "healthz" or "readyz" => "GET, HEAD",
                _ => "GET",
            };
        }

        return segments == 2 && last is "instanceStatus" ? "GET, HEAD, POST" : null;
    }
}
