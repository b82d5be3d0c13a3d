using System.Text;
using Skia.Pool.Api.Proxy.Relay;

namespace Skia.Pool.Tests.Api.Proxy.Relay;

/// <summary>The relay's request head: printable ASCII goes in as it is; anything else sends the request to YARP.</summary>
public sealed class HeadBufferTests
{
    [Fact]
    public void AppendHeader_PrintableValues_AreWrittenWithTheirSeparatorsAndGrowPastTheFirstBuffer()
    {
        var head = new HeadBuffer(16);
        try
        {
            head.Append("GET / HTTP/1.1\r\n".AsSpan()[..14]);
            head.AppendLiteral("\r\n"u8);
            head.AppendHeader("X-Long", new string('v', 5000));
            head.AppendHeader("X-Tab", "a\tb");
            head.AppendNumber(-1234567890123L);

            head.Failed.Should().BeFalse();
            Encoding.ASCII.GetString(head.Written.Span).Should().Be($"GET / HTTP/1.1\r\nX-Long: {new string('v', 5000)}\r\nX-Tab: a\tb\r\n-1234567890123");
        }
        finally
        {
            head.Dispose();
        }
    }

    [Theory]
    [InlineData("evil\r\nX-Injected: 1")]
    [InlineData("line\nfeed")]
    [InlineData("nul\0")]
    [InlineData("del\u007f")]
    public void AppendHeader_ControlCharacter_FailsTheHeadRatherThanSendingIt(string value)
    {
        var head = new HeadBuffer(64);
        try
        {
            head.AppendHeader("X-Value", value);

            head.Failed.Should().BeTrue();
        }
        finally
        {
            head.Dispose();
        }
    }

    [Fact]
    public void AppendHeader_ValueBeyondAscii_IsSentAsUtf8()
    {
        var head = new HeadBuffer(8);
        try
        {
            head.AppendHeader("Cookie", "name=caf\u00e9 \u2713");

            head.Failed.Should().BeFalse();
            head.Written.ToArray().Should().Equal(Encoding.UTF8.GetBytes("Cookie: name=caf\u00e9 \u2713\r\n"));
        }
        finally
        {
            head.Dispose();
        }
    }

    [Fact]
    public void Append_NonAsciiOutsideAValue_FailsTheHead()
    {
        var head = new HeadBuffer(8);
        try
        {
            head.AppendHeader("X-Caf\u00e9", "v");

            head.Failed.Should().BeTrue();
        }
        finally
        {
            head.Dispose();
        }
    }
}
