using Skia.Pool.Api.Proxy;

namespace Skia.Pool.Tests.Api.Proxy;

public sealed class CookiePathRewriterTests
{
    private const string Prefix = "/0f8fad5b-d9cb-469f-a165-70867728950e";

    [Theory]
    [InlineData("a=1; Path=/", "a=1; Path=" + Prefix + "/")]
    [InlineData("a=1; path=/x; HttpOnly", "a=1; path=" + Prefix + "/x; HttpOnly")]
    [InlineData("a=1; Secure; PATH=/x/y; SameSite=Lax", "a=1; Secure; PATH=" + Prefix + "/x/y; SameSite=Lax")]
    [InlineData("a=1;Path=/;Max-Age=60", "a=1;Path=" + Prefix + "/;Max-Age=60")]
    public void Rewrite_RootRelativePath_ScopesItToTheInstance(string setCookie, string expected) =>
        CookiePathRewriter.Rewrite(setCookie, Prefix).Should().Be(expected);

    [Theory]
    [InlineData("a=1")]
    [InlineData("a=1; HttpOnly; Secure")]
    [InlineData("a=1; Path=" + Prefix + "/")]
    [InlineData("a=1; Path=" + Prefix)]
    [InlineData("path=/; Domain=example.org")]
    public void Rewrite_NoPathOrAlreadyScoped_LeavesItAsSent(string setCookie) =>
        CookiePathRewriter.Rewrite(setCookie, Prefix).Should().Be(setCookie);
}
