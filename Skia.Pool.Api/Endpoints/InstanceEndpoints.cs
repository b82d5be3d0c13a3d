using Skia.Pool.Api.Contracts;
using Skia.Pool.Api.Problems;
using Skia.Pool.Api.Security;
using Skia.Pool.Domain.Instances;
using Skia.Pool.Domain.Lifecycle;
using Skia.Pool.Domain.Ports;

namespace Skia.Pool.Api.Endpoints;

/// <summary>The routes a user's browser calls: create, status, restart (the Skia original's contract).</summary>
internal static class InstanceEndpoints
{
    public static IEndpointRouteBuilder MapInstanceEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("").WithTags("Instances");

        group.MapPost("/instanceNew", CreateInstance)
            .AddEndpointFilter<SameOriginFilter>()
            .RequireRateLimiting(CreationRateLimit.Policy)
            .WithName("CreateInstance")
            .WithSummary("Mint a new instance id")
            .WithDescription("Answers 303 See Other to the new instance's private URL /{id}/. Nothing starts until that URL is requested. "
                + "403 for a cross-site browser request; 429 with Retry-After beyond Pool:CreatePerMinutePerClient.")
            .Produces(StatusCodes.Status303SeeOther)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        group.MapMethods("/{id}/instanceStatus", ["GET", "HEAD"], GetStatus)
            .WithName("GetInstanceStatus")
            .WithSummary("Read the status of one instance")
            .WithDescription("Never starts an instance. 404 when none runs for the id; the problem then carries the last exit, if any.")
            .Produces<InstanceStatusResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/{id}/instanceStatus", RestartInstance)
            .AddEndpointFilter<SameOriginFilter>()
            .WithName("RestartInstance")
            .WithSummary("Restart one instance")
            .WithDescription("Stops the instance's process (if any), starts a new one, then answers 303 See Other to /{id}/. "
                + "403 for a cross-site browser request.")
            .Produces(StatusCodes.Status303SeeOther)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);

        return app;
    }

    internal static IResult CreateInstance() => RedirectWithStatus.SeeOther($"/{InstanceId.New()}/");

    internal static IResult GetStatus(string id, InstanceManager instances, IClock clock)
    {
        if (!InstanceId.TryParse(id, out var instanceId))
        {
            return ProblemResults.UnknownInstance();
        }

        var status = instances.Status(instanceId);
        if (status?.Instance is { } instance)
        {
            return TypedResults.Ok(instance.ToStatus(clock.UtcNow));
        }

        var extensions = status?.LastExit is { } exit
            ? new Dictionary<string, object?> { ["lastExit"] = new { exitCode = exit.ExitCode, at = exit.At.ToUnixTimeSeconds() } }
            : null;
        return ProblemResults.Problem(StatusCodes.Status404NotFound, ProblemTypes.UnknownInstance, "No such instance",
            status?.LastExit is { } last
                ? $"The instance's process exited by itself with code {last.ExitCode}; the next request under /{id}/ starts a new one."
                : "No instance is running for this id.",
            extensions);
    }

    internal static async Task<IResult> RestartInstance(string id, InstanceManager instances, CancellationToken cancellationToken)
    {
        if (!InstanceId.TryParse(id, out var instanceId))
        {
            return ProblemResults.UnknownInstance();
        }

        var restarted = await instances.RestartAsync(instanceId, cancellationToken).ConfigureAwait(false);
        return restarted.IsFailed ? ProblemResults.From(restarted.Errors[0]) : RedirectWithStatus.SeeOther($"/{id}/");
    }
}
