using Skia.Pool.Api.Proxy;

namespace Skia.Pool.Tests.Api.Proxy;

public sealed class DotSegmentsTests
{
    [Theory]
    [InlineData("/id/../other/x")]
    [InlineData("/id/./x")]
    [InlineData("/id/..")]
    [InlineData("/id/%2e%2e/x")]
    [InlineData("/id/%2E./x")]
    [InlineData("/id/..%2Fother")]
    [InlineData("/id/..%5Cother")]
    [InlineData("/id\\..\\other")]
    [InlineData("/id/%252e%252e/other")]
    [InlineData("/id/..;/other")]
    [InlineData("/id/.;jsessionid=1/x")]
    public void ArePresentIn_AnySpellingOfADotSegment_IsTrue(string raw) => DotSegments.ArePresentIn(raw).Should().BeTrue();

    [Theory]
    [InlineData("/id/x")]
    [InlineData("/id/...")]
    [InlineData("/id/.hidden")]
    [InlineData("/id/a..b")]
    [InlineData("/id/x?path=../..")]
    [InlineData("/")]
    public void ArePresentIn_DotsThatAreNotSegments_IsFalse(string raw) => DotSegments.ArePresentIn(raw).Should().BeFalse();
}
