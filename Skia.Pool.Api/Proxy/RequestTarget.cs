namespace Skia.Pool.Api.Proxy;

/// <summary>
/// What the instance is asked for: the client's raw request target, byte for byte (so <c>%2F</c>,
/// <c>%2520</c>, <c>+</c> and empty query parameters arrive exactly as sent), with the <c>/{id}</c> prefix
/// removed unless the backend knows its base URL.
/// </summary>
internal static class RequestTarget
{
    /// <summary>
    /// The path and query to send upstream, from the origin-form target as received (the request target
    /// guard refuses every other form before routing, so a decoded path — which could hold CR/LF — is
    /// never sent).
    /// </summary>
    public static string ForInstance(string rawTarget, bool stripPrefix) =>
        stripPrefix ? PartForInstance(rawTarget, stripPrefix).ToString() : Checked(rawTarget);

    /// <summary>The same, without copying the target where it need not be copied (the relay writes it as bytes).</summary>
    public static ReadOnlySpan<char> PartForInstance(string rawTarget, bool stripPrefix)
    {
        Checked(rawTarget);
        if (!stripPrefix)
        {
            return rawTarget;
        }

        // "/{id}/rest?query" -> "/rest?query"; "/{id}?query" -> "/?query".
        var end = rawTarget.IndexOfAny(['/', '?'], 1);
        return end < 0 ? "/" : rawTarget[end] == '?' ? "/" + rawTarget[end..] : rawTarget.AsSpan(end);
    }

    private static string Checked(string rawTarget)
    {
        ArgumentNullException.ThrowIfNull(rawTarget);
        if (!rawTarget.StartsWith('/') || rawTarget.StartsWith("//", StringComparison.Ordinal))
        {
            throw new ArgumentException("Only origin-form targets are forwarded.", nameof(rawTarget));
        }

        return rawTarget;
    }
}
