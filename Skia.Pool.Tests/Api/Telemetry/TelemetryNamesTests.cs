using Skia.Pool.Api.Telemetry;
using Skia.Pool.Domain.Errors;
using Skia.Pool.Domain.Pooling;
using Yarp.ReverseProxy.Forwarder;

namespace Skia.Pool.Tests.Api.Telemetry;

/// <summary>The label values dashboards match on (docs/operations.md lists them): a change here breaks alerts.</summary>
public sealed class TelemetryNamesTests
{
    [Theory]
    [InlineData(StopReason.CullLru, "cull-lru")]
    [InlineData(StopReason.Idle, "idle")]
    [InlineData(StopReason.MaxAge, "max-age")]
    [InlineData(StopReason.Evicted, "evicted")]
    [InlineData(StopReason.Restart, "restart")]
    [InlineData(StopReason.Exit, "exit")]
    [InlineData(StopReason.Shutdown, "shutdown")]
    [InlineData(StopReason.Admin, "admin")]
    public void Reason_EachStopReason_IsItsDocumentedLabel(StopReason reason, string label) =>
        TelemetryNames.Reason(reason).Should().Be(label);

    [Fact]
    public void Outcome_EachStartError_IsItsDocumentedLabel()
    {
        TelemetryNames.Outcome(null).Should().Be("started");
        TelemetryNames.Outcome(new NotReadyError(TimeSpan.FromSeconds(5))).Should().Be("not-ready");
        TelemetryNames.Outcome(new PortInUseError(30_000)).Should().Be("port-in-use");
        TelemetryNames.Outcome(new StartFailedError("boom")).Should().Be("failed");
    }

    [Theory]
    [InlineData(ForwarderError.Request, "upstream-request")]
    [InlineData(ForwarderError.RequestTimedOut, "upstream-request-timed-out")]
    [InlineData(ForwarderError.ResponseBodyClient, "upstream-response-body-client")]
    public void ProxyErrorKind_ForwarderError_IsKebabCaseUnderUpstream(ForwarderError error, string kind) =>
        TelemetryNames.ProxyErrorKind(error).Should().Be(kind);

    [Fact]
    public void ProxyErrorKind_AcquireErrors_AreTheirProblemNames()
    {
        TelemetryNames.ProxyErrorKind(new PoolFullError(1, TimeSpan.FromSeconds(1))).Should().Be("pool-full");
        TelemetryNames.ProxyErrorKind(new NotReadyError(TimeSpan.FromSeconds(1))).Should().Be("not-ready");
        TelemetryNames.ProxyErrorKind(new StartFailedError("x")).Should().Be("start-failed");
        TelemetryNames.ProxyErrorKind(new PortInUseError(1)).Should().Be("start-failed");
    }
}
