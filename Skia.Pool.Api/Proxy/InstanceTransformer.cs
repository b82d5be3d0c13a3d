using System.Net;
using Microsoft.AspNetCore.Http.Features;
using Skia.Pool.Api.Security;
using Skia.Pool.Infrastructure.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Skia.Pool.Api.Proxy;

/// <summary>
/// Adapts one forwarded exchange to an instance that believes it is served at <c>/</c>. On the way in:
/// the raw target minus the <c>/{id}</c> prefix, <c>Host</c> naming the instance, headers named in
/// <c>Connection</c> dropped, and the X-Forwarded headers set (replacing any the client sent). On the way out: redirects, cookies and
/// anything else naming the backend's own address mapped back under the prefix. docs/proxy.md says why.
/// </summary>
internal sealed class InstanceTransformer(string prefix, int backendPort, bool stripPrefix, bool fromTrustedProxy) : HttpTransformer
{
    // The target is already exactly what the client sent; System.Uri must not "fix" it (unescape %41,
    // turn \ into /, resolve dot segments) on the way to the instance.
    private static readonly UriCreationOptions Verbatim = new() { DangerousDisablePathAndQueryCanonicalization = true };

    public override async ValueTask TransformRequestAsync(
        HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);

        var request = httpContext.Request;
        var rawTarget = httpContext.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
        var target = RequestTarget.ForInstance(rawTarget, stripPrefix);
        proxyRequest.RequestUri = new Uri(destinationPrefix.TrimEnd('/') + target, in Verbatim);

        var headers = proxyRequest.Headers;
        headers.Host = null; // HttpClient then names the instance, as the relay does; the client's host is X-Forwarded-Host
        ConnectionHeaders.RemoveNamed(proxyRequest, request.Headers.Connection);
        foreach (var name in ForwardedHeaders.Names)
        {
            headers.Remove(name);
        }

        var forwarded = ForwardedHeaders.Of(httpContext, prefix, fromTrustedProxy);
        if (forwarded.For is not null)
        {
            headers.TryAddWithoutValidation("X-Forwarded-For", forwarded.For);
        }

        headers.TryAddWithoutValidation("X-Forwarded-Proto", forwarded.Proto);
        headers.TryAddWithoutValidation("X-Forwarded-Host", forwarded.Host);
        headers.TryAddWithoutValidation("X-Forwarded-Prefix", forwarded.Prefix);
    }

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

        ResponseAddresses.MapIntoPrefix(headers, (int)proxyResponse.StatusCode, prefix, backendPort);

        // 204 and 205 have no content whatever the instance announces (RFC 9110), and Kestrel throws on a
        // length or a body for them: neither is passed on.
        if (proxyResponse.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.ResetContent)
        {
            headers.ContentLength = null;
            return false;
        }

        return proceed;
    }
}
