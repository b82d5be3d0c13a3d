using Skia.Pool.Api.Endpoints;

namespace Skia.Pool.Tests.Api.Endpoints;

public sealed class ServiceRoutesTests
{
    private const string Id = "0f8fad5b-d9cb-469f-a165-70867728950e";

    [Theory]
    [InlineData("/instanceNew", "POST")]
    [InlineData("//instanceNew//", "POST")]
    [InlineData("/instances", "GET")]
    [InlineData("/instances/" + Id, "GET, DELETE")]
    [InlineData("/instances/" + Id + "/restart", "POST")]
    [InlineData("/healthz", "GET, HEAD")]
    [InlineData("/readyz", "GET, HEAD")]
    [InlineData("/metrics", "GET")]
    [InlineData("/openapi/v1.json", "GET")]
    [InlineData("/admin", "GET")]
    [InlineData("/admin/rows", "GET")]
    [InlineData("/admin/admin.js", "GET")]
    [InlineData("/scalar", "GET")]
    [InlineData("/scalar/", "GET")]
    [InlineData("/scalar/v1", "GET")]
    [InlineData("/admin/instanceStatus", "GET, HEAD, POST")]
    [InlineData("/" + Id + "/instanceStatus", "GET, HEAD, POST")]
    [InlineData("/" + Id + "/instanceStatus/", "GET, HEAD, POST")]
    public void AllowedMethods_ServiceRoute_NamesItsMethods(string path, string allowed) =>
        ServiceRoutes.AllowedMethods(path).Should().Be(allowed);

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("/" + Id)]
    [InlineData("/" + Id + "/")]
    [InlineData("/" + Id + "/img/instanceStatus")]
    [InlineData("/" + Id + "/instanceStatusx")]
    [InlineData("/" + Id + "/instances")]
    [InlineData("/instanceNewer")]
    [InlineData("/Instances")]
    [InlineData("/instanceNew/x")]
    [InlineData("/instances/a/b/c")]
    [InlineData("/instances/a/stop")]
    [InlineData("/admin/nope")]
    [InlineData("/metrics/x")]
    [InlineData("/healthz/x")]
    [InlineData("/openapi")]
    [InlineData("/scalar/openapi/v1.json")]
    public void AllowedMethods_AnythingElse_IsNoServiceRoute(string path) =>
        ServiceRoutes.AllowedMethods(path).Should().BeNull();
}
