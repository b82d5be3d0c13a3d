using Microsoft.AspNetCore.Http.HttpResults;
using Skia.Pool.Api.Health;
using Skia.Pool.Api.Problems;

namespace Skia.Pool.Api.Endpoints;

/// <summary>What orchestrators and monitoring call: liveness, readiness, and the Prometheus scrape endpoint.</summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("").WithTags("Operations");

        group.MapMethods("/healthz", ["GET", "HEAD"], Healthz)
            .WithName("Healthz")
            .WithSummary("Liveness: answers 200 while the service runs")
            .WithDescription("Checks nothing but that the service answers HTTP; restart the service when it stops answering.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain");

        group.MapMethods("/readyz", ["GET", "HEAD"], Readyz)
            .WithName("Readyz")
            .WithSummary("Readiness: 200 while the service can start instances")
            .WithDescription("503 problem (type service-not-ready) when the configured command (Pool:Command) is missing or not "
                + "executable, when the service is shutting down, or when every slot's port is held by another process. "
                + "A full pool is still ready: running instances keep answering.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        group.MapPrometheusScrapingEndpoint()
            .WithName("Metrics")
            .WithSummary("Prometheus scrape endpoint")
            .WithDescription("The Skia.Pool meter plus ASP.NET Core and HttpClient metrics, in Prometheus text format. "
                + "No instance id appears in any metric; docs/operations.md lists them.")
            .WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(string), ["text/plain"]));

        return app;
    }

    internal static ContentHttpResult Healthz() => TypedResults.Text("ok\n", "text/plain");

    internal static IResult Readyz(ServiceReadiness readiness) => readiness.WhyNotReady() is { } reason
        ? ProblemResults.Problem(StatusCodes.Status503ServiceUnavailable, ProblemTypes.ServiceNotReady, "The service is not ready", reason)
        : TypedResults.Text("ready\n", "text/plain");
}
