using System.Net;
using System.Text.Json;

namespace Skia.Pool.Tests.Integration.Support;

/// <summary>Checks that an answer is an RFC 9457 problem of the expected status and type, with no stack trace.</summary>
internal static class ProblemAssertions
{
    public static async Task<JsonElement> ShouldBeProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string type)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(status, body);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json", body);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        problem.GetProperty("type").GetString().Should().Be(type);
        problem.GetProperty("title").GetString().Should().NotBeNullOrWhiteSpace();
        problem.GetProperty("status").GetInt32().Should().Be((int)status);
        body.Should().NotContain("   at ", "a problem must never carry a stack trace");
        return problem;
    }
}
