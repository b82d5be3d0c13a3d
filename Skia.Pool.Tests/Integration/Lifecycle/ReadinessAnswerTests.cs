using System.Net;
using Skia.Pool.Tests.Integration.Support;

namespace Skia.Pool.Tests.Integration.Lifecycle;

/// <summary>
/// Any HTTP answer to the readiness probe makes an instance ready, however loosely its head is written,
/// and an answer whose body never ends does not hold the start back: the strict parser only decides
/// whether the probe's connection is kept (FakeServe's <c>--raw-http --raw-root CASE</c> answers <c>/</c>).
/// </summary>
public sealed class ReadinessAnswerTests
{
    // head-then-stall: a body announced and never sent. The probe no longer waits for it (it did, for its
    // own 1 s timeout); that is a matter of time, which no test asserts: this checks the start still works.
    [Theory]
    [InlineData("bare-lf")]
    [InlineData("non-ascii")]
    [InlineData("obs-fold")]
    [InlineData("head-then-stall")]
    public async Task Start_ProbeAnswerTheRelayWouldNotKeep_InstanceIsReadyAndTheFirstRequestGetsItsOwnAnswer(string rootCase)
    {
        await using var server = await PoolServer.StartAsync(
            FakeServeArguments.With("--raw-http", "--raw-root", rootCase).And("Pool__StartTimeout", "00:00:05"));
        using var client = server.CreateClient();
        var id = await client.CreateInstanceAsync();

        using var response = await client.GetAsync(new Uri($"/{id}/raw/ok", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK, body);
        body.Should().Be("ok");
    }
}
