using Microsoft.Extensions.Options;
using Skia.Pool.Api.Problems;
using Skia.Pool.Domain;

namespace Skia.Pool.Api.Security;

/// <summary>
/// Admin routes list every id, and an id is a credential: they answer admins only (see
/// <see cref="AdminAccess"/>), 401 with a challenge when the token is missing or wrong, 403 for a
/// non-loopback client while no token is configured.
/// </summary>
internal sealed class AdminAccessFilter(IOptions<PoolOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        switch (AdminAccess.Decide(context.HttpContext, options.Value.AdminToken))
        {
            case AdminDecision.NeedsToken:
                // Bearer for scripts; Basic so that a browser shows its own login prompt (the token is the password).
                context.HttpContext.Response.Headers.WWWAuthenticate = new(["Bearer realm=\"Skia.Pool admin\"", "Basic realm=\"Skia.Pool admin\", charset=\"UTF-8\""]);
                return ProblemResults.Problem(StatusCodes.Status401Unauthorized, ProblemTypes.Unauthorized,
                    "Admin token required", "Send Authorization: Bearer <Pool:AdminToken> (or the token as the Basic password).");
            case AdminDecision.NotLoopback:
                return ProblemResults.Problem(StatusCodes.Status403Forbidden, ProblemTypes.Forbidden,
                    "Admin routes answer loopback clients only", "Set Pool:AdminToken to allow admins from other addresses.");
            default:
                return await next(context).ConfigureAwait(false);
        }
    }
}
