using Skia.Pool.Api.Telemetry;

namespace Skia.Pool.Tests.Api.Telemetry;

public sealed class IdRedactionTests
{
    [Theory]
    [InlineData("/0f8fad5b-d9cb-469f-a165-70867728950e/", "/0f8fad5b…/")]
    [InlineData("/0f8fad5b-d9cb-469f-a165-70867728950e/img?x", "/0f8fad5b…/img?x")]
    [InlineData("/0f8fad5b-d9cb-469f-a165-70867728950e", "/0f8fad5b…")]
    [InlineData("/0F8FAD5B-D9CB-469F-A165-70867728950E/info", "/0f8fad5b…/info")]
    [InlineData("/instances", "/instances")]
    [InlineData("/not-an-id-but-quite-long-enough-to-be-one/x", "/not-an-id-but-quite-long-enough-to-be-one/x")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Path_FirstSegmentIsAnId_CutsItToTheShortForm(string? path, string expected) =>
        IdRedaction.Path(path).Should().Be(expected);

    [Theory]
    [InlineData("http://127.0.0.1:30000/0f8fad5b-d9cb-469f-a165-70867728950e/img?x=1", "http://127.0.0.1:30000/0f8fad5b…/img?x=1")]
    [InlineData("http://127.0.0.1:30000/img?x=1", "http://127.0.0.1:30000/img?x=1")]
    [InlineData("http://127.0.0.1:30000/", "http://127.0.0.1:30000/")]
    public void Url_PathStartsWithAnId_CutsItToTheShortForm(string url, string expected) =>
        IdRedaction.Url(new Uri(url, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true })).Should().Be(expected);
}
