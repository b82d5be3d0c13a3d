using Skia.Pool.Api.Contracts;
using Skia.Pool.Api.Security;
using Skia.Pool.Domain.Lifecycle;
using Skia.Pool.Domain.Ports;

namespace Skia.Pool.Api.Endpoints;

/// <summary>Operator routes: the full list of instances, ids included; guarded by <see cref="AdminAccessFilter"/>.</summary>
internal static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("").WithTags("Admin").AddEndpointFilter<AdminAccessFilter>();

        group.MapGet("/instances", ListInstances)
            .WithName("ListInstances")
            .WithSummary("List every instance")
            .WithDescription("Every slot that is starting, running or stopping, with its id, pid, port and times, and every slot "
                + "skipped because a foreign process holds its port (state blocked, no id). Admin only: "
                + "with Pool:AdminToken set, send Authorization: Bearer <token>; without it, only loopback clients are answered.")
            .Produces<InstanceView[]>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        return app;
    }

    internal static IResult ListInstances(InstanceManager instances, IClock clock)
    {
        var now = clock.UtcNow;
        return TypedResults.Ok(instances.List().Select(i => i.ToView(now))
            .Concat(instances.BlockedSlots().Select(b => b.ToView()))
            .ToArray());
    }
}
