namespace Skia.Pool.Api.Proxy;

/// <summary>
/// Scopes a backend's cookies to its instance: <c>Path=/</c> becomes <c>Path=/{id}/</c> and <c>Path=/x</c>
/// becomes <c>Path=/{id}/x</c>, so two instances on one origin never see each other's cookies. Every other
/// attribute is kept as sent; a path already under the prefix is left alone. A cookie without a Path
/// attribute already defaults to the request's directory, which is under the prefix.
/// </summary>
internal static class CookiePathRewriter
{
    public static string Rewrite(string setCookie, string prefix)
    {
        ArgumentNullException.ThrowIfNull(setCookie);
        ArgumentNullException.ThrowIfNull(prefix);
        var parts = setCookie.Split(';');
        var changed = false;
        for (var i = 1; i < parts.Length; i++)
        {
            var attribute = parts[i];
            var equals = attribute.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0 || !attribute[..equals].Trim().Equals("path", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var value = attribute[(equals + 1)..].Trim();
            if (value.StartsWith('/') && !IsUnder(value, prefix))
            {
                parts[i] = attribute[..(equals + 1)] + prefix + (value == "/" ? "/" : value);
                changed = true;
            }
        }

        return changed ? string.Join(';', parts) : setCookie;
    }

    private static bool IsUnder(string path, string prefix) =>
        path.StartsWith(prefix, StringComparison.Ordinal) && (path.Length == prefix.Length || path[prefix.Length] == '/');
}
