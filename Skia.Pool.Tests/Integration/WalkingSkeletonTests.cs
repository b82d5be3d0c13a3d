using System.Net;
using System.Security.Cryptography;
using Skia.Pool.Tests.Integration.Support;

namespace Skia.Pool.Tests.Integration;

/// <summary>The whole main job on real processes: create, reach, upload, isolate, status, restart.</summary>
public sealed class WalkingSkeletonTests(PoolServer server) : IClassFixture<PoolServer>
{
    private const string UuidPattern = "^/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/$";

    [Fact]
    public async Task InstanceNew_Post_Answers303ToPrivateUuidUrl()
    {
        using var client = server.CreateClient();

        using var response = await client.PostAsync(new Uri("/instanceNew", UriKind.Relative), null);

        response.StatusCode.Should().Be(HttpStatusCode.SeeOther);
        response.Headers.Location!.OriginalString.Should().MatchRegex(UuidPattern);
    }

    [Fact]
    public async Task InstanceRoot_FirstGet_ServesFakeServePageFromALiveProcessListedInInstances()
    {
        using var client = server.CreateClient();
        var id = await client.CreateInstanceAsync();

        using var page = await client.GetAsync(new Uri($"/{id}/", UriKind.Relative));

        page.StatusCode.Should().Be(HttpStatusCode.OK);
        (await page.Content.ReadAsStringAsync()).Should().Contain("FakeServe").And.Contain("action=\"new\"");
        var listed = (await client.ListInstancesAsync()).Single(i => i.GetProperty("id").GetString() == id);
        var pid = listed.GetProperty("pid").GetInt32();
        MarkedProcesses.IsAlive(pid).Should().BeTrue();
        listed.GetProperty("state").GetString().Should().Be("running");
        listed.GetProperty("port").GetInt32().Should().BeInRange(server.StartPort, server.StartPort + 19);
        (await client.WhoAmIAsync(id)).Should().Be(pid);
    }

    [Fact]
    public async Task Upload_ThreeMiBMultipart_RedirectsIntoPrefixAndArrivesWithSameHash()
    {
        using var client = server.CreateClient();
        var id = await client.CreateInstanceAsync();
        var file = RandomNumberGenerator.GetBytes(3 * 1024 * 1024);

        using var response = await client.UploadAsync(id, file, "picture.skp");

        response.StatusCode.Should().Be(HttpStatusCode.SeeOther);
        response.Headers.Location!.OriginalString.Should().Be($"/{id}/");
        var upload = (await client.GetJsonAsync($"/{id}/info")).GetProperty("upload");
        upload.GetProperty("bytes").GetInt64().Should().Be(file.Length);
        upload.GetProperty("sha256").GetString().Should().Be(Convert.ToHexStringLower(SHA256.HashData(file)));
    }

    [Fact]
    public async Task TwoIds_EachUploads_GetTwoProcessesOnTwoPortsThatSeeOnlyTheirOwnUpload()
    {
        using var client = server.CreateClient();
        var first = await client.CreateInstanceAsync();
        var second = await client.CreateInstanceAsync();
        var firstFile = RandomNumberGenerator.GetBytes(1000);
        var secondFile = RandomNumberGenerator.GetBytes(2000);

        (await client.UploadAsync(first, firstFile, "one.skp")).Dispose();
        (await client.UploadAsync(second, secondFile, "two.skp")).Dispose();

        var firstInfo = (await client.GetJsonAsync($"/{first}/info")).GetProperty("upload");
        var secondInfo = (await client.GetJsonAsync($"/{second}/info")).GetProperty("upload");
        firstInfo.GetProperty("name").GetString().Should().Be("one.skp");
        firstInfo.GetProperty("bytes").GetInt64().Should().Be(1000);
        secondInfo.GetProperty("name").GetString().Should().Be("two.skp");
        secondInfo.GetProperty("bytes").GetInt64().Should().Be(2000);
        var instances = await client.ListInstancesAsync();
        var a = instances.Single(i => i.GetProperty("id").GetString() == first);
        var b = instances.Single(i => i.GetProperty("id").GetString() == second);
        a.GetProperty("pid").GetInt32().Should().NotBe(b.GetProperty("pid").GetInt32());
        a.GetProperty("port").GetInt32().Should().NotBe(b.GetProperty("port").GetInt32());
    }

    [Fact]
    public async Task Status_RunningInstance_ReportsStartedInUnixSecondsStatePidPort()
    {
        using var client = server.CreateClient();
        var id = await client.CreateInstanceAsync();
        var pid = await client.WhoAmIAsync(id);

        var status = await client.GetJsonAsync($"/{id}/instanceStatus");

        status.GetProperty("state").GetString().Should().Be("running");
        status.GetProperty("pid").GetInt32().Should().Be(pid);
        status.GetProperty("started").GetInt64().Should().BeCloseTo(DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 120);
        status.GetProperty("lastUsed").GetInt64().Should().BeGreaterThanOrEqualTo(status.GetProperty("started").GetInt64());
        status.GetProperty("port").GetInt32().Should().BeInRange(server.StartPort, server.StartPort + 19);
    }

    [Fact]
    public async Task Status_IdWithNoInstance_Answers404ProblemAndStartsNothing()
    {
        using var client = server.CreateClient();
        var id = await client.CreateInstanceAsync();

        using var response = await client.GetAsync(new Uri($"/{id}/instanceStatus", UriKind.Relative));

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "urn:skia-pool:problem:unknown-instance");
        (await client.ListInstancesAsync()).Should().NotContain(i => i.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task Restart_PostToStatus_Answers303AndReplacesTheProcess()
    {
        using var client = server.CreateClient();
        var id = await client.CreateInstanceAsync();
        var oldPid = await client.WhoAmIAsync(id);

        using var response = await client.PostAsync(new Uri($"/{id}/instanceStatus", UriKind.Relative), null);

        response.StatusCode.Should().Be(HttpStatusCode.SeeOther);
        response.Headers.Location!.OriginalString.Should().Be($"/{id}/");
        MarkedProcesses.IsAlive(oldPid).Should().BeFalse();
        var newPid = await client.WhoAmIAsync(id);
        newPid.Should().NotBe(oldPid);
        (await client.GetJsonAsync($"/{id}/instanceStatus")).GetProperty("pid").GetInt32().Should().Be(newPid);
    }

    [Theory]
    [InlineData("/not-a-uuid/x")]
    [InlineData("/not-a-uuid/")]
    [InlineData("/00000000-0000-0000-0000-000000000000/")]
    [InlineData("/0f8fad5bd9cb469fa16570867728950e/")]
    [InlineData("/{0f8fad5b-d9cb-469f-a165-70867728950e}/")]
    public async Task Proxy_PathThatIsNotAnId_Answers404ProblemAndStartsNothing(string path)
    {
        using var client = server.CreateClient();
        var before = (await client.ListInstancesAsync()).Length;

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "urn:skia-pool:problem:unknown-instance");
        (await client.ListInstancesAsync()).Length.Should().BeLessThanOrEqualTo(before);
    }

    [Fact]
    public async Task IdWithoutSlash_Get_RedirectsToSlashKeepingTheQuery()
    {
        using var client = server.CreateClient();
        var id = await client.CreateInstanceAsync();

        using var response = await client.GetAsync(new Uri($"/{id}?a=1&b", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.Found);
        response.Headers.Location!.OriginalString.Should().Be($"/{id}/?a=1&b");
    }

    [Fact]
    public async Task LandingPage_Get_HasANewInstanceButtonPostingToInstanceNew()
    {
        using var client = server.CreateClient();

        var html = await client.GetStringAsync(new Uri("/", UriKind.Relative));

        html.Should().Contain("<form method=\"post\" action=\"/instanceNew\">").And.Contain("New instance");
    }

    [Fact]
    public async Task OpenApi_Document_DescribesInstancesWithItsResponseSchema()
    {
        using var client = server.CreateClient();

        var document = await client.GetJsonAsync("/openapi/v1.json");

        var get = document.GetProperty("paths").GetProperty("/instances").GetProperty("get");
        get.GetProperty("operationId").GetString().Should().Be("ListInstances");
        var schema = get.GetProperty("responses").GetProperty("200").GetProperty("content")
            .GetProperty("application/json").GetProperty("schema");
        schema.GetProperty("type").GetString().Should().Be("array");
        var item = schema.GetProperty("items").GetProperty("$ref").GetString()!;
        var properties = document.GetProperty("components").GetProperty("schemas")
            .GetProperty(item.Split('/')[^1]).GetProperty("properties");
        properties.EnumerateObject().Select(p => p.Name).Should()
            .Contain(["id", "slot", "port", "pid", "state", "started", "lastUsed"]);
    }

    [Fact]
    public async Task Healthz_Get_Answers200()
    {
        using var client = server.CreateClient();

        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
