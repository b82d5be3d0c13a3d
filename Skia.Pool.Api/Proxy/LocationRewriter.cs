namespace Skia.Pool.Api.Proxy;

/// <summary>
/// Maps a backend's <c>Location</c> into the public URL space of its instance. The backend thinks it
/// lives at <c>/</c>; the user sees it at <c>/{id}/</c>.
/// </summary>
internal static class LocationRewriter
{
    /// <summary>
    /// Root-relative paths get the prefix; absolute URLs that name the backend itself become the public
    /// path; a value already under the prefix, relative references, scheme-relative and foreign URLs
    /// are left as they are.
    /// </summary>
    public static string Rewrite(string location, string prefix, int backendPort)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(prefix);
        if (location.StartsWith('/'))
        {
            return location.StartsWith("//", StringComparison.Ordinal) || IsUnder(location, prefix)
                ? location
                : prefix + location;
        }

        if (Uri.TryCreate(location, UriKind.Absolute, out var uri)
            && uri.Scheme is "http" or "https"
            && uri.Port == backendPort
            && (uri.IsLoopback || uri.Host == "0.0.0.0"))
        {
            // Everything after the authority: the path (maybe empty), then query and fragment as sent.
            var rest = location[(location.IndexOfAny(['/', '?', '#'], uri.Scheme.Length + 3) is var end && end >= 0 ? end : location.Length)..];
            return rest.StartsWith('/') ? Rewrite(rest, prefix, backendPort) : prefix + "/" + rest;
        }

        return location;
    }

    private static bool IsUnder(string path, string prefix) =>
        path.StartsWith(prefix, StringComparison.Ordinal)
        && (path.Length == prefix.Length || path[prefix.Length] is '/' or '?' or '#');
}
