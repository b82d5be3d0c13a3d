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
}
