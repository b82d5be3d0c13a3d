using System.Net;
using Skia.Pool.Tests.Integration.Support;

namespace Skia.Pool.Tests.Integration.Security;

/// <summary>The service's own answers carry the security headers; an instance's answers pass as it sent them.</summary>
public sealed class SecurityHeadersTests(PoolServer server) : IClassFixture<PoolServer>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/instances")]
    [InlineData("/admin")]
    [InlineData("/healthz")]
    [InlineData("/no/such/route")]
    [InlineData("/0f8fad5b-d9cb-469f-a165-70867728950e/instanceStatus")]
    public async Task OwnResponse_Any_HasNoSniffNoFramingNoReferrer(string path)
    {
        using var client = server.CreateClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        response.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
        response.Headers.GetValues("X-Frame-Options").Should().Equal("DENY");
        response.Headers.GetValues("Referrer-Policy").Should().Equal("no-referrer");
        response.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("frame-ancestors 'none'");
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/admin")]
    public async Task OwnPage_Get_LoadsOnlyFromItsOwnOrigin(string path)
    {
        using var client = server.CreateClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        response.Headers.GetValues("Content-Security-Policy").Should().Equal(
            "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    }

    [Fact]
    public async Task ProxiedResponse_InstancePage_CarriesNoneOfTheServiceHeaders()
    {
        using var client = server.CreateClient();
        var id = await client.CreateInstanceAsync();

        using var response = await client.GetAsync(new Uri($"/{id}/", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.Contains("X-Frame-Options").Should().BeFalse();
        response.Headers.Contains("Referrer-Policy").Should().BeFalse();
        response.Headers.Contains("Content-Security-Policy").Should().BeFalse();
        response.Headers.Contains("X-Content-Type-Options").Should().BeFalse();
    }
}
