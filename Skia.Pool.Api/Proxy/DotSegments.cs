namespace Skia.Pool.Api.Proxy;

/// <summary>
/// Finds <c>.</c> and <c>..</c> path segments in a raw request target, however they are spelled
/// (<c>%2e%2e</c>, <c>.%2E</c>, double-encoded <c>%252e</c>, with path parameters <c>..;x</c>) and whatever separates them (<c>/</c>, <c>\</c>, <c>%2F</c>, <c>%5C</c>):
/// a backend that decodes or resolves differently from Kestrel must never be handed a path that
/// climbs out of its instance's prefix.
/// </summary>
internal static class DotSegments
{
    public static bool ArePresentIn(string rawTarget)
    {
        ArgumentNullException.ThrowIfNull(rawTarget);
        var query = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? rawTarget : rawTarget[..query];

        // Decode up to three times: a backend that decodes twice turns %252e into "." as well.
        for (var round = 0; round < 3; round++)
        {
            path = Uri.UnescapeDataString(path);
            foreach (var segment in path.Split('/', '\\'))
            {
                // "..;x" is ".." to servers that strip path parameters (Tomcat, Jetty).
                var name = segment.Split(';')[0];
                if (name is "." or "..")
                {
                    return true;
                }
            }
        }

        return false;
    }
}
