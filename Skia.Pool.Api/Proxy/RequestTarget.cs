namespace Skia.Pool.Api.Proxy;

/// <summary>
/// What the instance is asked for: the client's raw request target, byte for byte (so <c>%2F</c>,
/// <c>%2520</c>, <c>+</c> and empty query parameters arrive exactly as sent), with the <c>/{id}</c> prefix
/// removed unless the backend knows its base URL.
/// </summary>
internal static class RequestTarget
{
    /// <summary>
    /// The path and query to send upstream. <paramref name="rawTarget"/> is the origin-form target as
    /// received; anything else (absolute-form, <c>*</c>) falls back to the decoded
    /// <paramref name="path"/> and <paramref name="query"/> Kestrel parsed.
    /// </summary>
    public static string ForInstance(string rawTarget, string path, string query, bool stripPrefix)
    {
        ArgumentNullException.ThrowIfNull(rawTarget);
        ArgumentNullException.ThrowIfNull(path);
        if (!rawTarget.StartsWith('/') || rawTarget.StartsWith("//", StringComparison.Ordinal))
        {
            rawTarget = path + query;
        }

        if (!stripPrefix)
        {
            return rawTarget;
        }

        // "/{id}/rest?query" -> "/rest?query"; "/{id}?query" -> "/?query".
        var end = rawTarget.IndexOfAny(['/', '?'], 1);
        return end < 0 ? "/" : rawTarget[end] == '?' ? "/" + rawTarget[end..] : rawTarget[end..];
    }
}
