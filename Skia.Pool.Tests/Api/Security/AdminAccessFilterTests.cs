using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Skia.Pool.Api.Security;
using Skia.Pool.Domain;

namespace Skia.Pool.Tests.Api.Security;

public sealed class AdminAccessFilterTests
{
    private readonly PoolOptions _options = new();

    private AdminAccessFilter CreateSut() => new(Options.Create(_options));

    private static async Task<object?> InvokeAsync(AdminAccessFilter filter, HttpContext context) =>
        await filter.InvokeAsync(new DefaultEndpointFilterInvocationContext(context), _ => ValueTask.FromResult<object?>("handler ran"));

    [Fact]
    public async Task InvokeAsync_NoTokenRemoteClient_Answers403ForbiddenProblemWithoutRunningTheHandler()
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse("192.0.2.10");

        var result = await InvokeAsync(CreateSut(), context);

        var problem = result.Should().BeOfType<ProblemHttpResult>().Subject;
        problem.StatusCode.Should().Be(StatusCodes.Status403Forbidden);
        problem.ProblemDetails.Type.Should().Be("urn:skia-pool:problem:forbidden");
    }

    [Fact]
    public async Task InvokeAsync_TokenSetNoHeader_Answers401WithBearerAndBasicChallenges()
    {
        _options.AdminToken = "t";
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Loopback;

        var result = await InvokeAsync(CreateSut(), context);

        result.Should().BeOfType<ProblemHttpResult>().Which.StatusCode.Should().Be(StatusCodes.Status401Unauthorized);
        context.Response.Headers.WWWAuthenticate.ToArray().Should()
            .Equal("Bearer realm=\"Skia.Pool admin\"", "Basic realm=\"Skia.Pool admin\", charset=\"UTF-8\"");
    }

    [Fact]
    public async Task InvokeAsync_NoTokenLoopbackClient_RunsTheHandler()
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Loopback;

        var result = await InvokeAsync(CreateSut(), context);

        result.Should().Be("handler ran");
    }
}
