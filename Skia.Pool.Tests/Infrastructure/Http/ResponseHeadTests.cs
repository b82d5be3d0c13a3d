using System.Text;
using Microsoft.AspNetCore.Http;
using Skia.Pool.Infrastructure.Http;

namespace Skia.Pool.Tests.Infrastructure.Http;

/// <summary>The relay's reading of an instance's response head: exact where it can be, a refusal where it cannot.</summary>
public sealed class ResponseHeadTests
{
    [Theory]
    [InlineData("HTTP/1.1 200 OK\nContent-Length: 2\n\nok", true)]
    [InlineData("HTTP/1.1 200 OK\r\nX-A: 1\nX-B: 2", true)]
    [InlineData("\n", true)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n", false)]
    [InlineData("HTTP/1.1 200 OK\r", false)]
    [InlineData("", false)]
    public void HasBareLineFeed_TellsAHeadThatCanNeverBeWholeFromOneStillComing(string received, bool expected)
    {
        ResponseHead.HasBareLineFeed(Encoding.ASCII.GetBytes(received)).Should().Be(expected);
    }

    [Fact]
    public void Parse_ContentLengthAnswer_FramesByLengthKeepsTheConnectionAndPassesEndToEndHeaders()
    {
        IHeaderDictionary headers = new HeaderDictionary();

        var head = Parse("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 42\r\nX-Custom:  padded value \t\r\n\r\n", headers);

        head.Should().Be(new ResponseHead(200, BodyFraming.ContentLength, 42, KeepAlive: true));
        headers.ContentType.ToString().Should().Be("text/plain");
        headers.ContentLength.Should().Be(42);
        headers["X-Custom"].ToString().Should().Be("padded value");
    }

    [Fact]
    public void Parse_RepeatedHeader_KeepsEveryValueInOrder()
    {
        IHeaderDictionary headers = new HeaderDictionary();

        Parse("HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nContent-Length: 0\r\nset-cookie: b=2\r\n\r\n", headers);

        headers.SetCookie.ToArray().Should().Equal("a=1", "b=2");
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: Keep-Alive, close\r\nContent-Length: 1\r\n\r\n")]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\n")]
    public void Parse_CloseOrHttp10_TheConnectionIsNotReused(string text)
    {
        var head = Parse(text, new HeaderDictionary());

        head.Should().Be(new ResponseHead(200, BodyFraming.ContentLength, 1, KeepAlive: false));
    }

    [Fact]
    public void Parse_HopByHopAndConnectionNamedHeaders_AreLeftOut()
    {
        IHeaderDictionary headers = new HeaderDictionary();

        Parse("HTTP/1.1 200 OK\r\nConnection: X-Internal\r\nX-Internal: secret\r\nKeep-Alive: timeout=5\r\nProxy-Connection: x\r\nX-Kept: yes\r\nContent-Length: 0\r\n\r\n", headers);

        headers.Keys.Should().BeEquivalentTo("X-Kept", "Content-Length");
    }

    [Fact]
    public void Parse_Chunked_FramesByChunksWithoutATransferEncodingHeaderForKestrel()
    {
        IHeaderDictionary headers = new HeaderDictionary();

        var head = Parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", headers);

        head.Should().Be(new ResponseHead(200, BodyFraming.Chunked, 0, KeepAlive: true));
        headers.Should().BeEmpty("Kestrel codes the body again itself");
    }

    [Fact]
    public void Parse_ChunkedBesideContentLength_ChunkedWinsTheLengthIsDroppedAndTheConnectionIsNotReused()
    {
        IHeaderDictionary headers = new HeaderDictionary();

        var head = Parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", headers);

        head.Should().Be(new ResponseHead(200, BodyFraming.Chunked, 0, KeepAlive: false));
        headers.ContentLength.Should().BeNull();
    }

    [Fact]
    public void Parse_NeitherLengthNorChunked_BodyRunsToTheEndOfTheConnection()
    {
        var head = Parse("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n", new HeaderDictionary());

        head.Should().Be(new ResponseHead(200, BodyFraming.UntilClose, 0, KeepAlive: false));
    }

    [Theory]
    [InlineData("HTTP/1.1 204 No Content\r\n\r\n", false, true)]
    [InlineData("HTTP/1.1 205 Reset Content\r\nContent-Length: 0\r\n\r\n", false, true)]
    [InlineData("HTTP/1.1 304 Not Modified\r\nContent-Length: 7\r\n\r\n", false, true)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n", true, true)]
    [InlineData("HTTP/1.1 204 No Content\r\nContent-Length: 7\r\n\r\n", false, false)]
    [InlineData("HTTP/1.1 205 Reset Content\r\nContent-Length: 7\r\n\r\n", false, false)]
    [InlineData("HTTP/1.1 205 Reset Content\r\nTransfer-Encoding: chunked\r\n\r\n", false, false)]
    public void Parse_BodilessAnswers_HaveNoBodyAndAreNotReusedWhenTheyAnnouncedOne(string text, bool answersHead, bool keepAlive)
    {
        IHeaderDictionary headers = new HeaderDictionary();

        var head = ResponseHead.Parse(Encoding.ASCII.GetBytes(text), answersHead, headers, out _);

        head!.Value.Framing.Should().Be(BodyFraming.None);
        head.Value.KeepAlive.Should().Be(keepAlive);
        if (text.StartsWith("HTTP/1.1 20", StringComparison.Ordinal) && !answersHead)
        {
            headers.ContentLength.Should().BeNull("Kestrel refuses a length on 204 and 205");
        }
    }

    [Fact]
    public void Parse_AnswerToHead_KeepsTheLengthTheGetWouldHave()
    {
        IHeaderDictionary headers = new HeaderDictionary();

        ResponseHead.Parse("HTTP/1.1 200 OK\r\nContent-Length: 123457\r\n\r\n"u8, answersHead: true, headers, out _);

        headers.ContentLength.Should().Be(123457);
    }

    [Fact]
    public void Parse_InterimAnswer_IsReportedWithoutItsHeaders()
    {
        IHeaderDictionary headers = new HeaderDictionary();

        var head = Parse("HTTP/1.1 103 Early Hints\r\nLink: </style.css>\r\n\r\n", headers);

        head.Should().Be(new ResponseHead(103, BodyFraming.None, 0, KeepAlive: true));
        headers.Should().BeEmpty();
    }

    [Theory]
    [InlineData("HTTP/2 200 OK\r\n\r\n")]
    [InlineData("HTTP/1.2 200 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 20 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 200OK\r\n\r\n")]
    [InlineData("HTTP/1.1 099 Low\r\n\r\n")]
    [InlineData("ICY 200 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 200 O\u0001K\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\n folded: line\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nX-A: one\r\n continued\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nNo-Colon\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\n: empty name\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nX-Control: a\u0007b\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nX-Latin: caf\u00e9\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 0x10\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: +2\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n")]
    public void Parse_MalformedOrUnsupported_IsRefusedWithAReason(string text)
    {
        var head = ResponseHead.Parse(Encoding.Latin1.GetBytes(text), answersHead: false, new HeaderDictionary(), out var error);

        head.Should().BeNull();
        error.Should().NotBeNullOrWhiteSpace();
    }

    [Fact]
    public void Parse_SameContentLengthTwice_IsAccepted()
    {
        var head = Parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\ncontent-length: 5\r\n\r\n", new HeaderDictionary());

        head.Should().Be(new ResponseHead(200, BodyFraming.ContentLength, 5, KeepAlive: true));
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\n", -1)]
    [InlineData("HTTP/1.1 200 OK\r\nA: b\r\n\r", -1)]
    [InlineData("HTTP/1.1 200 OK\r\n\r\nbody", 19)]
    public void FindEnd_CountsThroughTheBlankLineOrSaysIncomplete(string buffered, int end) =>
        ResponseHead.FindEnd(Encoding.ASCII.GetBytes(buffered)).Should().Be(end);

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\n\r\n", 200, null)]
    [InlineData("HTTP/1.1 200\r\n\r\n", 200, null)]
    [InlineData("HTTP/1.1 200 \r\n\r\n", 200, null)]
    [InlineData("HTTP/1.1 200 Fine Thanks\r\n\r\n", 200, "Fine Thanks")]
    [InlineData("HTTP/1.1 301 Moved\r\n\r\n", 301, "Moved")]
    [InlineData("HTTP/1.1 404 Not Found\r\nX: y\r\n\r\n", 404, null)]
    public void UnusualReason_OnlyWhenItDiffersFromTheStandardPhrase(string head, int status, string? reason) =>
        ResponseHead.UnusualReason(Encoding.ASCII.GetBytes(head), status).Should().Be(reason);

    private static ResponseHead? Parse(string text, IHeaderDictionary headers) =>
        ResponseHead.Parse(Encoding.ASCII.GetBytes(text), answersHead: false, headers, out _);
}
