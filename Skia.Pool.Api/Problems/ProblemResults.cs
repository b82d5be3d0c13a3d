using System.Globalization;
using FluentResults;
using Skia.Pool.Domain.Errors;

namespace Skia.Pool.Api.Problems;

/// <summary>The one place where domain errors become HTTP answers: RFC 9457 problem details, never stack traces.</summary>
internal static class ProblemResults
{
    public static IResult From(IError error) => error switch
    {
        PoolFullError full => new RetryAfterResult(
            Problem(StatusCodes.Status503ServiceUnavailable, ProblemTypes.PoolFull, "The pool is full", full.Message),
            full.RetryAfter),
        NotReadyError notReady => Problem(StatusCodes.Status504GatewayTimeout, ProblemTypes.NotReady,
            "The instance did not become ready in time", notReady.Message),
        StartFailedError failed => Problem(StatusCodes.Status502BadGateway, ProblemTypes.StartFailed,
            "The instance failed to start", failed.Message,
            new Dictionary<string, object?> { ["exitCode"] = failed.ExitCode, ["stderr"] = failed.ErrorLines }),
        UnknownInstanceError unknown => UnknownInstance(unknown.Message),
        PortInUseError portInUse => Problem(StatusCodes.Status502BadGateway, ProblemTypes.StartFailed,
            "The instance failed to start", portInUse.Message),
        _ => Problem(StatusCodes.Status500InternalServerError, ProblemTypes.Internal, "Internal error", error.Message),
    };

    public static IResult UnknownInstance(string detail = "No instance is running for this id.") =>
        Problem(StatusCodes.Status404NotFound, ProblemTypes.UnknownInstance, "No such instance", detail);

    public static IResult BodyTooLarge(long limit) =>
        Problem(StatusCodes.Status413PayloadTooLarge, ProblemTypes.BodyTooLarge, "Request body too large",
            $"Request bodies are limited to {limit} bytes (Pool:MaxRequestBodyBytes).");

    /// <summary>429 from the creation rate limit (<c>Pool:CreatePerMinutePerClient</c>), with Retry-After when the limiter knows it.</summary>
    public static IResult RateLimited(TimeSpan? retryAfter, int perMinute)
    {
        var problem = Problem(StatusCodes.Status429TooManyRequests, ProblemTypes.RateLimited, "Too many new instances",
            $"This client may create {perMinute} instances a minute (Pool:CreatePerMinutePerClient).");
        return retryAfter is { } wait ? new RetryAfterResult(problem, wait) : problem;
    }

    /// <summary>429 from <c>Pool:MaxInstancesPerClient</c>: this client already runs as many instances as it may.</summary>
    public static IResult TooManyInstances(int cap) =>
        Problem(StatusCodes.Status429TooManyRequests, ProblemTypes.TooManyInstances, "Too many running instances",
            $"This client already runs {cap} instances (Pool:MaxInstancesPerClient); stop one or wait until one is culled.");

    public static IResult Problem(int status, string type, string title, string? detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail, statusCode: status, title: title, type: type, extensions: extensions);

    /// <summary>A problem plus the <c>Retry-After</c> header (in whole seconds) that tells a client when to come back.</summary>
    private sealed class RetryAfterResult(IResult inner, TimeSpan retryAfter) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return inner.ExecuteAsync(httpContext);
        }
    }
}
