using Microsoft.AspNetCore.Http.Features;
using Skia.Pool.Api.Security;
using Yarp.ReverseProxy.Forwarder;

namespace Skia.Pool.Api.Proxy;

/// <summary>
/// Adapts one forwarded exchange to an instance that believes it is served at <c>/</c>. On the way in:
/// the raw target minus the <c>/{id}</c> prefix, headers named in <c>Connection</c> dropped, and the
/// X-Forwarded headers set (replacing any the client sent). On the way out: redirects, cookies and
/// anything else naming the backend's own address mapped back under the prefix. docs/proxy.md says why.
/// </summary>
internal sealed class InstanceTransformer(string prefix, int backendPort, bool stripPrefix, bool fromTrustedProxy) : HttpTransformer
{
    // The target is already exactly what the client sent; System.Uri must not "fix" it (unescape %41,
    // turn \ into /, resolve dot segments) on the way to the instance.
    private static readonly UriCreationOptions Verbatim = new() { DangerousDisablePathAndQueryCanonicalization = true };

    private static readonly string[] ForwardedHeaders =
        ["X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Forwarded-Prefix", "Forwarded"];

    public override async ValueTask TransformRequestAsync(
        HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);

        var request = httpContext.Request;
        var rawTarget = httpContext.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
        var target = RequestTarget.ForInstance(rawTarget, stripPrefix);
        proxyRequest.RequestUri = new Uri(destinationPrefix.TrimEnd('/') + target, in Verbatim);

        var headers = proxyRequest.Headers;
        ConnectionHeaders.RemoveNamed(proxyRequest, request.Headers.Connection);
        foreach (var name in ForwardedHeaders)
        {
            headers.Remove(name);
        }

        // Only a trusted proxy in front of the service may say who the client was and how it came in.
        var upstream = fromTrustedProxy ? request.Headers : null;
        var client = httpContext.Connection.RemoteIpAddress?.ToString();
        var forwardedFor = upstream?["X-Forwarded-For"].ToString() is { Length: > 0 } chain && client is not null
            ? chain + ", " + client
            : client;
        if (forwardedFor is not null)
        {
            headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        }

        headers.TryAddWithoutValidation("X-Forwarded-Proto", FirstOr(upstream?["X-Forwarded-Proto"], request.Scheme));
        headers.TryAddWithoutValidation("X-Forwarded-Host", FirstOr(upstream?["X-Forwarded-Host"], request.Host.Value ?? ""));
        headers.TryAddWithoutValidation("X-Forwarded-Prefix", prefix);
    }

    private static string FirstOr(Microsoft.Extensions.Primitives.StringValues? values, string fallback) =>
        values is { Count: > 0 } v && !string.IsNullOrEmpty(v[0]) ? v[0]! : fallback;

    public override async ValueTask<bool> TransformResponseAsync(
        HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var proceed = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken).ConfigureAwait(false);
        if (proxyResponse is null)
        {
            return proceed;
        }

        SecurityHeaders.MarkProxied(httpContext); // the instance's own answer: its headers stay as they are
        var headers = httpContext.Response.Headers;
        ConnectionHeaders.RemoveNamed(headers, proxyResponse.Headers.Connection);

        var status = (int)proxyResponse.StatusCode;
        if ((status is >= 300 and < 400 or StatusCodes.Status201Created) && headers.Location.Count > 0)
        {
            headers.Location = LocationRewriter.Rewrite(headers.Location.ToString(), prefix, backendPort);
        }

        if (headers.ContentLocation.Count > 0)
        {
            headers.ContentLocation = LocationRewriter.Rewrite(headers.ContentLocation.ToString(), prefix, backendPort);
        }

        if (headers.SetCookie.Count > 0)
        {
            headers.SetCookie = new([.. headers.SetCookie.Select(c => CookiePathRewriter.Rewrite(c ?? "", prefix))]);
        }

        return proceed;
    }
}
