using System.Text;
using Skia.Pool.Api.Proxy.Front;
using Skia.Pool.Api.Proxy.Relay;

namespace Skia.Pool.Tests.Api.Proxy;

public sealed class FrontRequestHeadTests
{
    private const string Id = "0b6c3b5e-4f1d-4c7a-9a57-2f9e8d1c0a11";

    private static readonly FrontPeer Peer = new(Encoding.ASCII.GetBytes("10.0.0.7"), Tls: false);

    [Theory]
    [InlineData("GET /" + Id + "/ HTTP/1.1")]
    [InlineData("HEAD /" + Id + "/img?w=10&h=%20x HTTP/1.1")]
    [InlineData("GET /0B6C3B5E-4F1D-4C7A-9A57-2F9E8D1C0A11/a/b.c/d..e/~x!$&'()*+,;=:@ HTTP/1.1")]
    public void TryReadLine_PlainGetOrHeadUnderAnId_IsTaken(string requestLine)
    {
        var taken = FrontRequestHead.TryReadLine(Head(requestLine, "Host: pool"), out _);

        taken.Should().BeTrue();
    }

    [Theory]
    [InlineData("POST /" + Id + "/ HTTP/1.1", "a body may follow")]
    [InlineData("GET /" + Id + "/ HTTP/1.0", "HTTP/1.0")]
    [InlineData("GET /" + Id + " HTTP/1.1", "the endpoint redirects /{id}")]
    [InlineData("GET /" + Id + "?x HTTP/1.1", "the endpoint redirects /{id}?query")]
    [InlineData("GET /" + Id + "/instanceStatus HTTP/1.1", "the service's own route")]
    [InlineData("GET /" + Id + "/INSTANCESTATUS/ HTTP/1.1", "routing ignores case and a trailing slash")]
    [InlineData("GET /" + Id + "/a/../b HTTP/1.1", "a dot segment")]
    [InlineData("GET /" + Id + "/./b HTTP/1.1", "a dot segment")]
    [InlineData("GET /" + Id + "/%2e%2e/b HTTP/1.1", "percent-encoding in the path")]
    [InlineData("GET /" + Id + "/a\\b HTTP/1.1", "a backslash")]
    [InlineData("GET /" + Id + "/a?b#c HTTP/1.1", "a fragment")]
    [InlineData("GET /0b6c3b5e-4f1d-4c7a-9a57-2f9e8d1c0a1g/ HTTP/1.1", "not hex")]
    [InlineData("GET /0b6c3b5e+4f1d-4c7a-9a57-2f9e8d1c0a11/ HTTP/1.1", "not the canonical form")]
    [InlineData("GET http://pool/" + Id + "/ HTTP/1.1", "absolute form")]
    [InlineData("GET  /" + Id + "/ HTTP/1.1", "two spaces")]
    public void TryReadLine_AnythingElse_IsLeftForKestrel(string requestLine, string why)
    {
        var taken = FrontRequestHead.TryReadLine(Head(requestLine, "Host: pool"), out _);

        taken.Should().BeFalse(why);
    }

    [Fact]
    public void TryWrite_PlainHead_WritesTheInstancesHeadWithTheServicesForwardingHeaders()
    {
        var head = Head($"GET /{Id}/img?w=1 HTTP/1.1", "Host: pool:8080", "Accept:  */* ", "X-Forwarded-For: 6.6.6.6", "Connection: keep-alive", "TE: trailers");

        var written = Write(head, stripPrefix: true, out var close);

        written.Should().Be(
            "GET /img?w=1 HTTP/1.1\r\nAccept: */*\r\nX-Forwarded-For: 10.0.0.7\r\nX-Forwarded-Proto: http\r\n" +
            $"X-Forwarded-Host: pool:8080\r\nX-Forwarded-Prefix: /{Id}\r\nHost: 127.0.0.1:30001\r\n\r\n");
        close.Should().BeFalse();
    }

    [Fact]
    public void TryWrite_BaseUrlMode_KeepsThePrefix()
    {
        var written = Write(Head($"GET /{Id}/x HTTP/1.1", "Host: pool", "Connection: close"), stripPrefix: false, out var close);

        written.Should().StartWith($"GET /{Id}/x HTTP/1.1\r\n");
        close.Should().BeTrue();
    }

    [Theory]
    [InlineData("Content-Length: 0")]
    [InlineData("Transfer-Encoding: chunked")]
    [InlineData("Expect: 100-continue")]
    [InlineData("Upgrade: websocket")]
    [InlineData("Connection: upgrade")]
    [InlineData("Connection: close, X-Secret")]
    [InlineData("Host: second")]
    [InlineData("X-Bad : space before the colon")]
    [InlineData(" folded: line")]
    [InlineData("X-Utf8: caf\u00e9")]
    [InlineData("X-Control: a\u0001b")]
    [InlineData("NoColon")]
    public void TryWrite_AHeaderTheFrontDoesNotTake_LeavesTheRequestForKestrel(string header)
    {
        var head = Head($"GET /{Id}/ HTTP/1.1", "Host: pool", header);
        var buffer = new HeadBuffer(256);

        var taken = FrontRequestHead.TryWrite(head, Line(head), stripPrefix: true, Peer, ref buffer, out _);

        buffer.Dispose();
        taken.Should().BeFalse();
    }

    [Theory]
    [InlineData("pool", true)]
    [InlineData("pool.example:8080", true)]
    [InlineData("127.0.0.1:5000", true)]
    [InlineData("[::1]", true)]
    [InlineData("[::1]:8080", true)]
    [InlineData("[x]", false)]
    [InlineData("[::1", false)]
    [InlineData("]", false)]
    [InlineData(":::", false)]
    [InlineData(":80", false)]
    [InlineData("a:1:2", false)]
    [InlineData("h:abc", false)]
    [InlineData("h:", false)]
    [InlineData("h:99999", false)]
    [InlineData("h:0", false)]
    [InlineData("[::1]x", false)]
    [InlineData("user@pool", false)]
    public void TryWrite_Host_IsTakenOnlyWhenItIsAPlainAuthority(string host, bool expected)
    {
        // Kestrel answers 400 to a Host that is not a URI authority: the front must leave those to it.
        var head = Head($"GET /{Id}/ HTTP/1.1", "Host: " + host);
        var buffer = new HeadBuffer(256);

        var taken = FrontRequestHead.TryWrite(head, Line(head), stripPrefix: true, Peer, ref buffer, out _);

        buffer.Dispose();
        taken.Should().Be(expected);
    }

    [Fact]
    public void TryWrite_NoHost_LeavesTheRequestForKestrel()
    {
        var head = Head($"GET /{Id}/ HTTP/1.1", "Accept: */*");
        var buffer = new HeadBuffer(256);

        var taken = FrontRequestHead.TryWrite(head, Line(head), stripPrefix: true, Peer, ref buffer, out _);

        buffer.Dispose();
        taken.Should().BeFalse("Kestrel answers 400 to an HTTP/1.1 request without Host");
    }

    [Fact]
    public void TryWrite_MoreHeadersThanKestrelAllows_LeavesTheRequestForKestrel()
    {
        var head = Head($"GET /{Id}/ HTTP/1.1", ["Host: pool", .. Enumerable.Range(0, FrontRequestHead.MaxHeaderCount).Select(i => $"X-{i}: v")]);
        var buffer = new HeadBuffer(256);

        var taken = FrontRequestHead.TryWrite(head, Line(head), stripPrefix: true, Peer, ref buffer, out _);

        buffer.Dispose();
        taken.Should().BeFalse("Kestrel answers 431");
    }

    [Theory]
    [InlineData("GET / HTTP/1.1", "Host: pool")]
    [InlineData("POST /instanceNew HTTP/1.1", "Host: pool", "Content-Length: 0")]
    [InlineData("DELETE /instances/x HTTP/1.1", "Host: pool", "Connection: close")]
    public void IsPlainBodiless_ARequestWithoutABody_CanBeLent(string requestLine, params string[] headers)
    {
        FrontRequestHead.IsPlainBodiless(Head(requestLine, headers)).Should().BeTrue();
    }

    [Theory]
    [InlineData("POST /new HTTP/1.1", "Host: pool", "Content-Length: 5")]
    [InlineData("POST /new HTTP/1.1", "Host: pool", "Transfer-Encoding: chunked")]
    [InlineData("POST /new HTTP/1.1", "Host: pool", "Content-Length: 00")]
    [InlineData("GET /ws HTTP/1.1", "Host: pool", "Connection: Upgrade", "Upgrade: websocket")]
    [InlineData("GET / HTTP/1.0", "Host: pool")]
    [InlineData("CONNECT pool:443 HTTP/1.1", "Host: pool")]
    [InlineData("GET / HTTP/1.1", "Host: pool", "Content-Length : 5")]
    [InlineData("GET / HTTP/1.1", "Host: pool", " obs-fold")]
    [InlineData("GET / HTTP/1.1", "Host: pool", "Expect: 100-continue")]
    public void IsPlainBodiless_AnythingKestrelMightFrameOtherwise_IsNot(string requestLine, params string[] headers)
    {
        FrontRequestHead.IsPlainBodiless(Head(requestLine, headers)).Should().BeFalse();
    }

    private static byte[] Head(string requestLine, params string[] headers) =>
        Encoding.Latin1.GetBytes(requestLine + "\r\n" + string.Concat(headers.Select(h => h + "\r\n")) + "\r\n");

    private static FrontRequestLine Line(byte[] head)
    {
        FrontRequestHead.TryReadLine(head, out var line).Should().BeTrue();
        return line;
    }

    private static string Write(byte[] head, bool stripPrefix, out bool close)
    {
        var buffer = new HeadBuffer(256);
        try
        {
            FrontRequestHead.TryWrite(head, Line(head), stripPrefix, Peer, ref buffer, out close).Should().BeTrue();
            FrontRequestHead.Finish(30001, ref buffer);
            return Encoding.ASCII.GetString(buffer.Written.Span);
        }
        finally
        {
            buffer.Dispose();
        }
    }
}
