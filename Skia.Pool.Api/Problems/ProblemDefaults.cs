using Microsoft.AspNetCore.Diagnostics;

namespace Skia.Pool.Api.Problems;

/// <summary>
/// Gives the framework's own problems (unmatched routes, wrong methods, unhandled exceptions) a stable
/// type like ours, and makes sure nothing of an exception (message, stack) reaches the client.
/// </summary>
internal static class ProblemDefaults
{
    public static void Apply(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Type is not null && problem.Type.StartsWith("urn:skia-pool:", StringComparison.Ordinal))
        {
            return;
        }

        problem.Extensions.Remove("exception");
        (problem.Type, problem.Title, problem.Detail) = problem.Status switch
        {
            StatusCodes.Status404NotFound => (ProblemTypes.NotFound, "Not found", "No such page."),
            StatusCodes.Status405MethodNotAllowed => (ProblemTypes.MethodNotAllowed, "Method not allowed", "This route does not take that method."),
            StatusCodes.Status413PayloadTooLarge => (ProblemTypes.BodyTooLarge, "Request body too large", "See Pool:MaxRequestBodyBytes."),
            >= 400 and < 500 => (ProblemTypes.BadRequest, "Bad request", null),
            _ => (ProblemTypes.Internal, "Internal error", context.HttpContext.Features.Get<IExceptionHandlerFeature>() is null
                ? null
                : "The service failed to answer; the error has been logged."),
        };
    }
}
