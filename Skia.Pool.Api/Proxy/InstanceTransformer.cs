using Skia.Pool.Api.Security;
using Yarp.ReverseProxy.Forwarder;

namespace Skia.Pool.Api.Proxy;

/// <summary>
/// Adapts one forwarded exchange to an instance that believes it is served at <c>/</c>: strips the
/// <c>/{id}</c> prefix on the way in, sets the X-Forwarded headers (replacing any the client sent),
/// and maps redirects back into the prefix on the way out.
/// </summary>
internal sealed class InstanceTransformer(string prefix, int backendPort) : HttpTransformer
{
    public override async ValueTask TransformRequestAsync(
        HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);

        var request = httpContext.Request;
        var path = request.Path.Value ?? "";
        var rest = path.Length > prefix.Length ? path[prefix.Length..] : "/";
        proxyRequest.RequestUri = RequestUtilities.MakeDestinationAddress(destinationPrefix, new PathString(rest), request.QueryString);

        var headers = proxyRequest.Headers;
        headers.Remove("X-Forwarded-For");
        headers.Remove("X-Forwarded-Proto");
        headers.Remove("X-Forwarded-Host");
        headers.Remove("X-Forwarded-Prefix");
        headers.Remove("Forwarded");
        if (httpContext.Connection.RemoteIpAddress is { } client)
        {
            headers.TryAddWithoutValidation("X-Forwarded-For", client.ToString());
        }

        headers.TryAddWithoutValidation("X-Forwarded-Proto", request.Scheme);
        headers.TryAddWithoutValidation("X-Forwarded-Host", request.Host.Value);
        headers.TryAddWithoutValidation("X-Forwarded-Prefix", prefix);
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

        var status = (int)proxyResponse.StatusCode;
        var responseHeaders = httpContext.Response.Headers;
        if ((status is >= 300 and < 400 or StatusCodes.Status201Created) && responseHeaders.Location.Count > 0)
        {
            responseHeaders.Location = LocationRewriter.Rewrite(responseHeaders.Location.ToString(), prefix, backendPort);
        }

        return proceed;
    }
}
