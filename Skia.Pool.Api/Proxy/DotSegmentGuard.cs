using Microsoft.AspNetCore.Http.Features;
using Skia.Pool.Api.Problems;

namespace Skia.Pool.Api.Proxy;

/// <summary>
/// Refuses, before routing, any request whose raw target is not origin-form or has dot segments. Browsers resolve them
/// before sending, so only crafted requests are affected; resolving them here instead would still leave
/// spellings (<c>..%2F</c>) that some backend might resolve differently and so climb out of its prefix.
/// </summary>
internal static class DotSegmentGuard
{
    public static IApplicationBuilder UseDotSegmentGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
        if (!rawTarget.StartsWith('/') || rawTarget.StartsWith("//", StringComparison.Ordinal))
        {
            // Absolute-form (GET http://host/...), asterisk-form and "//" targets are for proxies, not an origin
            // server; browsers never send them, and only the raw origin-form target is forwarded verbatim.
            await ProblemResults.Problem(StatusCodes.Status400BadRequest, ProblemTypes.BadRequest, "Request target not allowed",
                "Only origin-form request targets (starting with a single /) are served.").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        if (DotSegments.ArePresentIn(rawTarget))
        {
            await ProblemResults.Problem(StatusCodes.Status400BadRequest, ProblemTypes.BadRequest, "Path not allowed",
                "Paths with dot segments (., .., or their percent-encoded forms) are refused.").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    });
}
