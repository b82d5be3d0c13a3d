using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Skia.Pool.Api.Security;

namespace Skia.Pool.Tests.Api.Security;

/// <summary>
/// Who is an admin, on a fake HttpContext: a test cannot reach the service from a non-loopback address
/// without sending traffic to one of the machine's network addresses, which the tests never do.
/// </summary>
public sealed class AdminAccessTests
{
    private const string Token = "s3cret-token";

    private static DefaultHttpContext Request(string remote, string? authorization = null)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }

        return context;
    }

    private static string Basic(string user, string password) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.10.20.30")]
    [InlineData("::1")]
    public void Decide_NoTokenLoopbackClient_Allowed(string remote) =>
        AdminAccess.Decide(Request(remote), null).Should().Be(AdminDecision.Allowed);

    [Theory]
    [InlineData("192.0.2.10")]
    [InlineData("2001:db8::1")]
    [InlineData("::ffff:192.0.2.10")]
    public void Decide_NoTokenRemoteClient_NotLoopback(string remote) =>
        AdminAccess.Decide(Request(remote), null).Should().Be(AdminDecision.NotLoopback);

    [Fact]
    public void Decide_NoTokenNoRemoteAddress_NotLoopback() =>
        AdminAccess.Decide(new DefaultHttpContext(), "").Should().Be(AdminDecision.NotLoopback);

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong")]
    [InlineData("Bearer s3cret-token-and-more")]
    [InlineData("Bearer ")]
    [InlineData("s3cret-token")]
    [InlineData("Basic !!!not-base64")]
    [InlineData("Basic czNjcmV0LXRva2Vu")] // "s3cret-token" without a colon: no password part
    public void Decide_TokenSetAndNotPresented_NeedsTokenEvenFromLoopback(string? authorization) =>
        AdminAccess.Decide(Request("127.0.0.1", authorization), Token).Should().Be(AdminDecision.NeedsToken);

    [Theory]
    [InlineData("Bearer s3cret-token")]
    [InlineData("bearer s3cret-token")]
    public void Decide_TokenSetBearerMatches_AllowedFromAnyAddress(string authorization) =>
        AdminAccess.Decide(Request("192.0.2.10", authorization), Token).Should().Be(AdminDecision.Allowed);

    [Fact]
    public void Decide_TokenSetBasicPasswordMatches_AllowedWhateverTheUserName() =>
        AdminAccess.Decide(Request("192.0.2.10", Basic("anyone", Token)), Token).Should().Be(AdminDecision.Allowed);

    [Fact]
    public void Decide_TokenSetBasicPasswordWrong_NeedsToken() =>
        AdminAccess.Decide(Request("192.0.2.10", Basic(Token, "wrong")), Token).Should().Be(AdminDecision.NeedsToken);
}
