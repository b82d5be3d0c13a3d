using Microsoft.Extensions.Primitives;

namespace Skia.Pool.Api.Proxy;

/// <summary>
/// The <c>X-Forwarded-*</c> values the service sends an instance, replacing whatever the client sent in
/// them (and in <c>Forwarded</c>): only a trusted proxy in front of the service may say who the client
/// was and how it came in. Both forwarding paths (YARP's and the relay) send these.
/// </summary>
internal readonly record struct ForwardedHeaders(string? For, string Proto, string Host, string Prefix)
{
    /// <summary>The client's headers that are never passed on: the service sets its own.</summary>
    public static readonly string[] Names = ["X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Forwarded-Prefix", "Forwarded"];

    public static ForwardedHeaders Of(HttpContext context, string prefix, bool fromTrustedProxy)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        var upstream = fromTrustedProxy ? request.Headers : null;
        var client = context.Connection.RemoteIpAddress?.ToString();
        var forwardedFor = upstream?["X-Forwarded-For"].ToString() is { Length: > 0 } chain && client is not null
            ? chain + ", " + client
            : client;
        return new ForwardedHeaders(
            forwardedFor,
            FirstOr(upstream?["X-Forwarded-Proto"], request.Scheme),
            FirstOr(upstream?["X-Forwarded-Host"], request.Host.Value ?? ""),
            prefix);
    }

    private static string FirstOr(StringValues? values, string fallback) =>
        values is { Count: > 0 } v && !string.IsNullOrEmpty(v[0]) ? v[0]! : fallback;
}
