using Skia.Pool.Api.Proxy;

namespace Skia.Pool.Tests.Api.Proxy;

public sealed class RequestTargetTests
{
    private const string Id = "0f8fad5b-d9cb-469f-a165-70867728950e";

    [Theory]
    [InlineData("/" + Id + "/", "/")]
    [InlineData("/" + Id + "/a%2Fb", "/a%2Fb")]
    [InlineData("/" + Id + "/a%2520b?x=%20&y", "/a%2520b?x=%20&y")]
    [InlineData("/" + Id + "/a+b?q=a+b&&=c&e=", "/a+b?q=a+b&&=c&e=")]
    [InlineData("/" + Id + "/caf%C3%A9/%5B%5D?a%5B%5D=1", "/caf%C3%A9/%5B%5D?a%5B%5D=1")]
    [InlineData("/" + Id + "?q=1", "/?q=1")]
    [InlineData("/" + Id, "/")]
    public void ForInstance_StripPrefix_SendsTheRawTargetWithoutThePrefix(string raw, string expected) =>
        RequestTarget.ForInstance(raw, stripPrefix: true).Should().Be(expected);

    [Fact]
    public void ForInstance_BaseUrlMode_SendsTheWholeRawTarget() =>
        RequestTarget.ForInstance("/" + Id + "/x%2Fy?a", stripPrefix: false).Should().Be("/" + Id + "/x%2Fy?a");

    [Theory]
    [InlineData("http://host/" + Id + "/x")]
    [InlineData("*")]
    [InlineData("//" + Id + "/x")]
    public void ForInstance_NotOriginForm_IsAProgrammingError(string raw) =>
        FluentActions.Invoking(() => RequestTarget.ForInstance(raw, stripPrefix: true)).Should().Throw<ArgumentException>();
}
