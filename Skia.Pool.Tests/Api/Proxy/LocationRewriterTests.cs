using Skia.Pool.Api.Proxy;

namespace Skia.Pool.Tests.Api.Proxy;

public sealed class LocationRewriterTests
{
    private const string Prefix = "/0f8fad5b-d9cb-469f-a165-70867728950e";
    private const int BackendPort = 30007;

    [Theory]
    [InlineData("/", Prefix + "/")]
    [InlineData("/foo?x=1", Prefix + "/foo?x=1")]
    [InlineData("/foo#frag", Prefix + "/foo#frag")]
    [InlineData("http://127.0.0.1:30007/foo?x=1", Prefix + "/foo?x=1")]
    [InlineData("http://localhost:30007/", Prefix + "/")]
    [InlineData("http://localhost:30007", Prefix + "/")]
    [InlineData("http://[::1]:30007/a/b", Prefix + "/a/b")]
    [InlineData("https://127.0.0.1:30007/x", Prefix + "/x")]
    [InlineData("http://127.0.0.1:30007?x=/evil", Prefix + "/?x=/evil")]
    [InlineData("http://127.0.0.1:30007#/frag", Prefix + "/#/frag")]
    public void Rewrite_PathsOnTheBackend_MovesThemUnderThePrefix(string location, string expected) =>
        LocationRewriter.Rewrite(location, Prefix, BackendPort).Should().Be(expected);

    [Theory]
    [InlineData("foo/")]
    [InlineData("../x")]
    [InlineData("?p=2")]
    [InlineData("//cdn.example.org/lib.js")]
    [InlineData("https://example.org/")]
    [InlineData("http://127.0.0.1:30008/other-port")]
    [InlineData("http://10.0.0.1:30007/same-port-other-host")]
    [InlineData(Prefix + "/already")]
    [InlineData(Prefix)]
    [InlineData(Prefix + "?q=1")]
    public void Rewrite_RelativeForeignOrAlreadyPrefixed_LeavesItAlone(string location) =>
        LocationRewriter.Rewrite(location, Prefix, BackendPort).Should().Be(location);

    [Fact]
    public void Rewrite_PathThatOnlyStartsLikeThePrefix_IsStillPrefixed() =>
        LocationRewriter.Rewrite(Prefix + "x/y", Prefix, BackendPort).Should().Be(Prefix + Prefix + "x/y");
}
