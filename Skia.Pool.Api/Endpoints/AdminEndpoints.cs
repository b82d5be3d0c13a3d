using Skia.Pool.Api.Contracts;
using Skia.Pool.Api.Problems;
using Skia.Pool.Api.Security;
using Skia.Pool.Domain.Instances;
using Skia.Pool.Domain.Lifecycle;
using Skia.Pool.Domain.Pooling;
using Skia.Pool.Domain.Ports;

namespace Skia.Pool.Api.Endpoints;

/// <summary>
/// Operator routes over instances, full ids included; guarded by <see cref="AdminAccessFilter"/>.
/// <code>
/// GET    /instances                 every instance
/// GET    /instances/{id}            one instance
/// DELETE /instances/{id}            stop it (204)
/// POST   /instances/{id}/restart    stop it and start a new process (200, the new instance)
/// </code>
/// </summary>
internal static class AdminEndpoints
{
    private const string AdminOnly = " Admin only: with Pool:AdminToken set, send Authorization: Bearer <token>; without it, only "
        + "loopback clients are answered.";

    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/instances").WithTags("Admin").AddEndpointFilter<AdminAccessFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapGet("", ListInstances)
            .WithName("ListInstances")
            .WithSummary("List every instance")
            .WithDescription("Every slot that is starting, running or stopping, with its id, pid, port, times and memory, and every "
                + "slot skipped because a foreign process holds its port (state blocked, no id)." + AdminOnly)
            .Produces<InstanceView[]>();

        group.MapGet("/{id}", GetInstance)
            .WithName("GetInstance")
            .WithSummary("Read one instance")
            .WithDescription("The instance of this id, as listed by ListInstances. Never starts anything: 404 when none runs." + AdminOnly)
            .Produces<InstanceView>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapDelete("/{id}", StopInstanceAsync)
            .AddEndpointFilter<SameOriginFilter>()
            .WithName("StopInstance")
            .WithSummary("Stop one instance")
            .WithDescription("Stops the instance's whole process tree (SIGTERM, SIGKILL after Pool:StopGracePeriod) and frees its slot; "
                + "answers when it is gone. Its user's next request starts a new one. 404 when none runs." + AdminOnly)
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/{id}/restart", RestartInstanceAsync)
            .AddEndpointFilter<SameOriginFilter>()
            .WithName("AdminRestartInstance")
            .WithSummary("Restart one instance")
            .WithDescription("Stops the instance and starts a new process for the same id; answers with the new instance. "
                + "404 when none runs (an admin restart never starts an instance that was not running)." + AdminOnly)
            .Produces<InstanceView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);

        return app;
    }

    internal static IResult ListInstances(InstanceManager instances, IClock clock) =>
        TypedResults.Ok(InstanceViews.All(instances, clock.UtcNow));

    internal static IResult GetInstance(string id, InstanceManager instances, IClock clock) =>
        InstanceId.TryParse(id, out var instanceId) && InstanceViews.One(instances, instanceId, clock.UtcNow) is { } view
            ? TypedResults.Ok(view)
            : ProblemResults.UnknownInstance();

    internal static async Task<IResult> StopInstanceAsync(string id, InstanceManager instances)
    {
        if (!InstanceId.TryParse(id, out var instanceId))
        {
            return ProblemResults.UnknownInstance();
        }

        var stopped = await instances.StopAsync(instanceId, StopReason.Admin).ConfigureAwait(false);
        return stopped.IsFailed ? ProblemResults.From(stopped.Errors[0]) : TypedResults.NoContent();
    }

    internal static async Task<IResult> RestartInstanceAsync(string id, InstanceManager instances, IClock clock, CancellationToken cancellationToken)
    {
        if (!InstanceId.TryParse(id, out var instanceId) || instances.Status(instanceId)?.Instance is null)
        {
            return ProblemResults.UnknownInstance();
        }

        var restarted = await instances.RestartAsync(instanceId, cancellationToken).ConfigureAwait(false);
        if (restarted.IsFailed)
        {
            return ProblemResults.From(restarted.Errors[0]);
        }

        return InstanceViews.One(instances, instanceId, clock.UtcNow) is { } view ? TypedResults.Ok(view) : ProblemResults.UnknownInstance();
    }
}
