using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Skia.Pool.Api.Security;
using Skia.Pool.Domain;

namespace Skia.Pool.Tests.Api.Security;

/// <summary>Behind a trusted local proxy the client is the one it forwards for, so loopback is no longer a credential.</summary>
public sealed class ClientAddressTests
{
    private static DefaultHttpContext Request(string peer, string? forwardedFor, params string[] trustedProxies)
    {
        var services = new ServiceCollection()
            .AddSingleton(Options.Create(new PoolOptions { TrustedProxies = trustedProxies }))
            .BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Connection.RemoteIpAddress = IPAddress.Parse(peer);
        if (forwardedFor is not null)
        {
            context.Request.Headers["X-Forwarded-For"] = forwardedFor;
        }

        return context;
    }

    [Fact]
    public void Resolve_TrustedProxyForwardingForAnInternetClient_IsThatClient() =>
        ClientAddress.Resolve(Request("127.0.0.1", "198.51.100.1, 203.0.113.9", "127.0.0.1")).Should().Be(IPAddress.Parse("203.0.113.9"));

    [Fact]
    public void Resolve_UntrustedPeerClaimingAnAddress_IsThePeer() =>
        ClientAddress.Resolve(Request("192.0.2.7", "127.0.0.1")).Should().Be(IPAddress.Parse("192.0.2.7"));

    [Fact]
    public void AdminDecide_NoTokenRequestThroughATrustedLocalProxy_IsNotLoopback() =>
        AdminAccess.Decide(Request("127.0.0.1", "203.0.113.9", "127.0.0.1"), "").Should().Be(AdminDecision.NotLoopback);

    [Fact]
    public void AdminDecide_NoTokenLocalRequestWithoutForwardedFor_IsAllowed() =>
        AdminAccess.Decide(Request("127.0.0.1", null, "127.0.0.1"), "").Should().Be(AdminDecision.Allowed);
}
