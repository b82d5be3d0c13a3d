using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Skia.Pool.Api.Problems;
using Skia.Pool.Api.Proxy;
using Skia.Pool.Api.Security;
using Skia.Pool.Api.Telemetry;
using Skia.Pool.Domain;
using Skia.Pool.Domain.Instances;
using Skia.Pool.Domain.Lifecycle;

namespace Skia.Pool.Api.Endpoints;

/// <summary>
/// <c>ANY /{id}/{**path}</c>: starts the instance on demand, then forwards with <c>/{id}</c> stripped.
/// The request holds a lease for its whole length, so an instance in use is never culled.
/// <c>/{id}</c> without the slash is redirected to <c>/{id}/</c>, or the instance's relative links would
/// resolve against <c>/</c> (one route serves both: routing ignores a trailing slash).
/// </summary>
internal static class ProxyEndpoint
{
    public static IEndpointRouteBuilder MapInstanceProxy(this IEndpointRouteBuilder app)
    {
        app.Map("/{id}/{**path}", ForwardAsync).ExcludeFromDescription();
        return app;
    }

    internal static async Task ForwardAsync(
        HttpContext context,
        string id,
        InstanceManager instances,
        InstanceForwarder forwarder,
        ClientInstanceCap cap,
        PoolMetrics metrics,
        IOptions<PoolOptions> options)
    {
        if (ServiceRoutes.AllowedMethods(context.Request.Path.Value ?? "") is { } allowed)
        {
            context.Response.Headers.Allow = allowed;
            await ProblemResults.Problem(StatusCodes.Status405MethodNotAllowed, ProblemTypes.MethodNotAllowed, "Method not allowed",
                $"This route takes {allowed}.").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        if (!InstanceId.TryParse(id, out var instanceId))
        {
            await ProblemResults.UnknownInstance("Not an instance id.").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var prefix = "/" + id;
        if (context.Request.Path.Value is { } path && path.Length == prefix.Length)
        {
            await RedirectToRoot(context.Request, prefix).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        // A body announced as too large is refused before anything starts.
        var limit = options.Value.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            metrics.ProxyError("body-too-large");
            await ProblemResults.BodyTooLarge(limit).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = limit;
        }

        if (!cap.TryClaim(instanceId, context))
        {
            metrics.ProxyError("too-many-instances");
            await ProblemResults.TooManyInstances(options.Value.MaxInstancesPerClient).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var lease = await instances.AcquireAsync(instanceId, context.RequestAborted).ConfigureAwait(false);
        if (lease.IsFailed)
        {
            metrics.ProxyError(TelemetryNames.ProxyErrorKind(lease.Errors[0]));
            await ProblemResults.From(lease.Errors[0]).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        // An instance's bodiless 404/500 is its answer: status code pages must not dress it up as ours.
        if (context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } statusPages)
        {
            statusPages.Enabled = false;
        }

        using (lease.Value)
        {
            await forwarder.ForwardAsync(context, prefix, lease.Value).ConfigureAwait(false);
        }
    }

    private static RedirectWithStatus RedirectToRoot(HttpRequest request, string prefix)
    {
        // A GET may become 302; any other method must be kept, so 307.
        var status = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)
            ? StatusCodes.Status302Found
            : StatusCodes.Status307TemporaryRedirect;
        return new RedirectWithStatus(status, $"{prefix}/{request.QueryString}");
    }
}
