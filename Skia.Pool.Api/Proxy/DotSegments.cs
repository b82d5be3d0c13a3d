namespace Skia.Pool.Api.Proxy;

/// <summary>
/// Finds <c>.</c> and <c>..</c> path segments in a raw request target, however they are spelled
/// (<c>%2e%2e</c>, <c>.%2E</c>) and whatever separates them (<c>/</c>, <c>\</c>, <c>%2F</c>, <c>%5C</c>):
/// a backend that decodes or resolves differently from Kestrel must never be handed a path that
/// climbs out of its instance's prefix.
/// </summary>
internal static class DotSegments
{
    public static bool ArePresentIn(string rawTarget)
    {
        ArgumentNullException.ThrowIfNull(rawTarget);
        var query = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var path = Uri.UnescapeDataString(query < 0 ? rawTarget : rawTarget[..query]);
        foreach (var segment in path.Split('/', '\\'))
        {
            if (segment is "." or "..")
            {
                return true;
            }
        }

        return false;
    }
}
