using Microsoft.AspNetCore.Http.Features;
using Skia.Pool.Api.Problems;

namespace Skia.Pool.Api.Proxy;

/// <summary>
/// Refuses, before routing, any request whose raw target has dot segments. Browsers resolve them
/// before sending, so only crafted requests are affected; resolving them here instead would still leave
/// spellings (<c>..%2F</c>) that some backend might resolve differently and so climb out of its prefix.
/// </summary>
internal static class DotSegmentGuard
{
    public static IApplicationBuilder UseDotSegmentGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
        if (DotSegments.ArePresentIn(rawTarget))
        {
            await ProblemResults.Problem(StatusCodes.Status400BadRequest, ProblemTypes.BadRequest, "Path not allowed",
                "Paths with dot segments (., .., or their percent-encoded forms) are refused.").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    });
}
