using Skia.Pool.Api.Problems;

namespace Skia.Pool.Api.Security;

/// <summary>
/// Guards the routes that change state on a browser's behalf (create, restart, admin stop and restart):
/// a cross-site request (see <see cref="CrossSiteRequests"/>) gets 403 and changes nothing.
/// </summary>
internal sealed class SameOriginFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        return CrossSiteRequests.IsCrossSite(context.HttpContext.Request)
            ? ProblemResults.Problem(StatusCodes.Status403Forbidden, ProblemTypes.CrossSite, "Cross-site request refused",
                "This request came from a page on another site; only this service's own pages may create or restart instances.")
            : await next(context).ConfigureAwait(false);
    }
}
