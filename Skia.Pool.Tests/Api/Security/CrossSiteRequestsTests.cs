using Microsoft.AspNetCore.Http;
using Skia.Pool.Api.Security;

namespace Skia.Pool.Tests.Api.Security;

public sealed class CrossSiteRequestsTests
{
    private static HttpRequest Request(string host, string? fetchSite = null, string? origin = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Host = new HostString(host);
        if (fetchSite is not null)
        {
            context.Request.Headers["Sec-Fetch-Site"] = fetchSite;
        }

        if (origin is not null)
        {
            context.Request.Headers.Origin = origin;
        }

        return context.Request;
    }

    [Theory]
    [InlineData("cross-site", true)]
    [InlineData("same-site", true)]
    [InlineData("same-origin", false)]
    [InlineData("none", false)]
    [InlineData("something-new", true)]
    public void IsCrossSite_SecFetchSite_DecidesAlone(string fetchSite, bool expected) =>
        CrossSiteRequests.IsCrossSite(Request("pool.example:8000", fetchSite, origin: "http://pool.example:8000")).Should().Be(expected);

    [Fact]
    public void IsCrossSite_SecFetchSiteSameOriginButForeignOrigin_TrustsSecFetchSite() =>
        CrossSiteRequests.IsCrossSite(Request("pool.example", "same-origin", origin: "https://evil.example")).Should().BeFalse();

    [Theory]
    [InlineData("pool.example:8000", "http://pool.example:8000", false)]
    [InlineData("pool.example", "https://pool.example", false)]
    [InlineData("pool.example", "http://pool.example", false)]
    [InlineData("POOL.example", "https://pool.EXAMPLE", false)]
    [InlineData("pool.example", "https://pool.example:8443", true)]
    [InlineData("pool.example:8000", "http://pool.example:8001", true)]
    [InlineData("pool.example", "https://evil.example", true)]
    [InlineData("pool.example", "https://pool.example.evil.example", true)]
    [InlineData("pool.example", "null", true)]
    [InlineData("pool.example", "not a url", true)]
    public void IsCrossSite_OnlyOrigin_ComparesItsHostAndPortWithTheHostHeader(string host, string origin, bool expected) =>
        CrossSiteRequests.IsCrossSite(Request(host, origin: origin)).Should().Be(expected);

    [Fact]
    public void IsCrossSite_NoBrowserHeaders_IsNotCrossSite() =>
        CrossSiteRequests.IsCrossSite(Request("pool.example")).Should().BeFalse();
}
