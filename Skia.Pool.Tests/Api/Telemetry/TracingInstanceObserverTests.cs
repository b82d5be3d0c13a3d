using System.Collections.Concurrent;
using System.Diagnostics;
using Skia.Pool.Api.Telemetry;
using Skia.Pool.Domain;
using Skia.Pool.Domain.Errors;
using Skia.Pool.Domain.Instances;
using Skia.Pool.Domain.Lifecycle;
using Skia.Pool.Tests.Domain.Fakes;

namespace Skia.Pool.Tests.Api.Telemetry;

/// <summary>
/// The spans of a start and a stop, driven through the real manager with fake processes. Each test runs
/// under a root span of its own and looks only at its trace, so other tests' spans never interfere.
/// </summary>
public sealed class TracingInstanceObserverTests : IDisposable
{
    private const string TestSourceName = "Skia.Pool.Tests.Tracing";
    private static readonly ActivitySource TestSource = new(TestSourceName);

    private readonly ManualClock _clock = new();
    private readonly FakeLauncher _launcher = new();
    private readonly FakeReadinessProbe _probe = new();
    private readonly PoolOptions _options = new() { MaxInstances = 2, StartPort = 40_000 };
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;
    private readonly Activity _root;

    public TracingInstanceObserverTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is PoolTelemetry.Name or TestSourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
        _root = TestSource.StartActivity("test")!;
    }

    public void Dispose()
    {
        _root.Dispose();
        _listener.Dispose();
    }

    private InstanceManager CreateSut() => new(
        _options, new InstrumentedProcessLauncher(_launcher), new InstrumentedReadinessProbe(_probe), _clock, new TracingInstanceObserver());

    private List<Activity> Spans(string name) =>
        [.. _stopped.Where(a => a.TraceId == _root.TraceId && a.OperationName == name)];

    [Fact]
    public async Task AcquireAsync_FirstRequest_StartSpanTaggedWithSlotShortIdOutcomeAndLaunchReadinessChildren()
    {
        var sut = CreateSut();
        var id = InstanceId.New();

        (await sut.AcquireAsync(id, CancellationToken.None)).Value.Dispose();

        var start = Spans("skia_pool.instance.start").Should().ContainSingle().Subject;
        start.ParentSpanId.Should().Be(_root.SpanId);
        start.GetTagItem(PoolTelemetry.SlotTag).Should().Be(0);
        start.GetTagItem(PoolTelemetry.InstanceTag).Should().Be(id.Short);
        start.GetTagItem(PoolTelemetry.OutcomeTag).Should().Be("started");
        start.GetTagItem("process.pid").Should().Be(FakeLauncher.FirstPid);
        start.Status.Should().Be(ActivityStatusCode.Ok);
        var launch = Spans("skia_pool.instance.launch").Should().ContainSingle().Subject;
        launch.ParentSpanId.Should().Be(start.SpanId);
        launch.GetTagItem(PoolTelemetry.OutcomeTag).Should().Be("launched");
        var readiness = Spans("skia_pool.instance.readiness").Should().ContainSingle().Subject;
        readiness.ParentSpanId.Should().Be(start.SpanId);
        readiness.GetTagItem(PoolTelemetry.OutcomeTag).Should().Be("ready");
    }

    [Fact]
    public async Task AcquireAsync_NotReady_StartAndReadinessSpansEndInErrorWithOutcomeNotReady()
    {
        _probe.Failure = new NotReadyError(TimeSpan.FromSeconds(5));
        var sut = CreateSut();

        await sut.AcquireAsync(InstanceId.New(), CancellationToken.None);

        var start = Spans("skia_pool.instance.start").Should().ContainSingle().Subject;
        start.GetTagItem(PoolTelemetry.OutcomeTag).Should().Be("not-ready");
        start.Status.Should().Be(ActivityStatusCode.Error);
        Spans("skia_pool.instance.readiness").Single().GetTagItem(PoolTelemetry.OutcomeTag).Should().Be("not-ready");
    }

    [Fact]
    public async Task RestartAsync_RunningInstance_StopSpanWithReasonRestartUnderTheCaller()
    {
        var sut = CreateSut();
        var id = InstanceId.New();
        (await sut.AcquireAsync(id, CancellationToken.None)).Value.Dispose();

        await sut.RestartAsync(id, CancellationToken.None);

        var stop = Spans("skia_pool.instance.stop").Should().ContainSingle().Subject;
        stop.ParentSpanId.Should().Be(_root.SpanId);
        stop.GetTagItem(PoolTelemetry.ReasonTag).Should().Be("restart");
        stop.GetTagItem(PoolTelemetry.SlotTag).Should().Be(0);
        Spans("skia_pool.instance.start").Should().HaveCount(2);
    }

    [Fact]
    public async Task Spans_AfterStartAndRestart_NeverCarryTheFullId()
    {
        var sut = CreateSut();
        var id = InstanceId.New();
        (await sut.AcquireAsync(id, CancellationToken.None)).Value.Dispose();

        await sut.RestartAsync(id, CancellationToken.None);

        var values = _stopped.Where(a => a.TraceId == _root.TraceId)
            .SelectMany(a => a.TagObjects.Select(t => $"{t.Value}").Append(a.DisplayName).Append(a.StatusDescription ?? ""));
        values.Should().NotContain(v => v.Contains(id.ToString(), StringComparison.OrdinalIgnoreCase));
        values.Should().Contain(id.Short);
    }
}
