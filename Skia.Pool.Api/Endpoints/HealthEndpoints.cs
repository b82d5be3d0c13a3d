namespace Skia.Pool.Api.Endpoints;

/// <summary>Liveness for orchestrators: the process answers HTTP.</summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Text("ok\n", "text/plain"))
            .WithName("Healthz")
            .WithSummary("Liveness: answers 200 while the service runs")
            .WithTags("Operations")
            .Produces<string>(StatusCodes.Status200OK, "text/plain");
        return app;
    }
}
