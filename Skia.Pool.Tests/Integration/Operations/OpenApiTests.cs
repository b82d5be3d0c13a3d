using System.Text.Json;
using Skia.Pool.Tests.Integration.Support;

namespace Skia.Pool.Tests.Integration.Operations;

/// <summary>
/// The OpenAPI document lists every documented route with a name, summary, description and each status
/// code it can answer, problems with their schema. Left out on purpose: the proxy catch-all
/// <c>/{id}/{**path}</c> (its answers are the instance's), <c>/metrics</c> (the Prometheus exporter's own
/// endpoint), and the documents themselves (<c>/openapi/v1.json</c>, <c>/scalar</c>).
/// </summary>
public sealed class OpenApiTests(PoolServer server) : IClassFixture<PoolServer>
{
    public static TheoryData<string, string, int[]> Routes => new()
    {
        { "/", "get", [200] },
        { "/instanceNew", "post", [303, 403, 429] },
        { "/{id}/instanceStatus", "get", [200, 404] },
        { "/{id}/instanceStatus", "post", [303, 403, 404, 502, 503, 504] },
        { "/instances", "get", [200, 401, 403] },
        { "/instances/{id}", "get", [200, 401, 403, 404] },
        { "/instances/{id}", "delete", [204, 401, 403, 404] },
        { "/instances/{id}/restart", "post", [200, 401, 403, 404, 502, 503, 504] },
        { "/admin", "get", [200, 401, 403] },
        { "/admin/rows", "get", [200, 401, 403] },
        { "/admin/admin.js", "get", [200] },
        { "/healthz", "get", [200] },
        { "/readyz", "get", [200, 503] },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Document_Route_HasNameSummaryDescriptionAndEveryStatusWithItsSchema(string path, string method, int[] statuses)
    {
        using var client = server.CreateClient();
        var document = await client.GetJsonAsync("/openapi/v1.json");

        var operation = document.GetProperty("paths").GetProperty(path).GetProperty(method);

        operation.GetProperty("operationId").GetString().Should().NotBeNullOrWhiteSpace();
        operation.GetProperty("summary").GetString().Should().NotBeNullOrWhiteSpace();
        operation.GetProperty("description").GetString().Should().NotBeNullOrWhiteSpace();
        var responses = operation.GetProperty("responses");
        responses.EnumerateObject().Select(r => int.Parse(r.Name, System.Globalization.CultureInfo.InvariantCulture))
            .Should().BeEquivalentTo(statuses);
        foreach (var status in statuses.Where(s => s >= 400))
        {
            responses.GetProperty($"{status}").GetProperty("content").GetProperty("application/problem+json")
                .GetProperty("schema").ValueKind.Should().Be(JsonValueKind.Object, $"{method} {path} {status} is a problem");
        }

        foreach (var status in statuses.Where(s => s is 200))
        {
            responses.GetProperty("200").GetProperty("content").EnumerateObject().Should().ContainSingle()
                .Which.Value.GetProperty("schema").ValueKind.Should().Be(JsonValueKind.Object);
        }
    }

    [Fact]
    public async Task Document_Paths_AreExactlyTheDocumentedRoutes()
    {
        using var client = server.CreateClient();

        var document = await client.GetJsonAsync("/openapi/v1.json");

        document.GetProperty("paths").EnumerateObject().Select(p => p.Name).Should()
            .BeEquivalentTo(Routes.Select(r => (string)r[0]).Distinct());
    }
}
