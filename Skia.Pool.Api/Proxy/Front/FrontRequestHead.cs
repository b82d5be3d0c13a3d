using System.Text;
using Skia.Pool.Api.Proxy.Relay;
using Skia.Pool.Infrastructure.Http;

namespace Skia.Pool.Api.Proxy.Front;

/// <summary>
/// Reads one request head off the wire for <see cref="InstanceFront"/> and, when it is one the front takes,
/// writes the head the instance is sent. The front takes only what it can read with no doubt at all:
/// <c>GET</c> or <c>HEAD</c> of <c>/{id}/...</c> in HTTP/1.1, no body, a target of plain characters
/// with no percent-encoding and no dot segment in its path, one plain <c>Host</c>, every line ending in
/// CRLF, every header a token name and a printable ASCII value, at most <see cref="MaxHeaderCount"/> of them
/// in at most <see cref="MaxHeadLength"/> bytes. Anything else, however legal, is left for Kestrel and the
/// service's pipeline, which answer it exactly as before: the front never refuses a request, it only
/// declines to take it, so every limit, guard and error answer stays theirs.
/// </summary>
internal static class FrontRequestHead
{
    /// <summary>Heads beyond this go to Kestrel (whose own limits are larger: 16 KiB request line, 64 KiB of headers).</summary>
    public const int MaxHeadLength = 16 * 1024;

    /// <summary>Kestrel's limit (<c>MaxRequestHeaderCount</c>): more go to Kestrel, which answers 431.</summary>
    public const int MaxHeaderCount = 100;

    private const int IdLength = 36;

    /// <summary>The service's own route under an instance's prefix (<c>/{id}/instanceStatus</c>): never the instance's.</summary>
    private static ReadOnlySpan<byte> StatusRoute => "/instanceStatus"u8;

    /// <summary>
    /// Reads the request line of <paramref name="head"/> (a whole head, through its empty line). Returns
    /// false when the front does not take this request.
    /// </summary>
    public static bool TryReadLine(ReadOnlySpan<byte> head, out FrontRequestLine line)
    {
        line = default;
        var lineEnd = head.IndexOf("\r\n"u8);
        if (lineEnd < 0)
        {
            return false;
        }

        var requestLine = head[..lineEnd];
        int methodLength;
        if (requestLine.StartsWith("GET /"u8))
        {
            methodLength = 3;
        }
        else if (requestLine.StartsWith("HEAD /"u8))
        {
            methodLength = 4;
        }
        else
        {
            return false;
        }

        if (!requestLine.EndsWith(" HTTP/1.1"u8))
        {
            return false;
        }

        var target = requestLine[(methodLength + 1)..^9];
        // "/" + id + "/" at least: "/{id}" alone and "/{id}?query" are redirected by the endpoint.
        if (target.Length < IdLength + 2 || target[IdLength + 1] != (byte)'/' || !IsCanonicalId(target.Slice(1, IdLength)))
        {
            return false;
        }

        var rest = target[(IdLength + 1)..];
        var query = rest.IndexOf((byte)'?');
        var path = query < 0 ? rest : rest[..query];
        if (!IsPlainPath(path) || (query >= 0 && !IsPlainQuery(rest[(query + 1)..]))
            || (path.Length >= StatusRoute.Length && Ascii.EqualsIgnoreCase(path[..StatusRoute.Length], StatusRoute)))
        {
            return false;
        }

        line = new FrontRequestLine(methodLength, target.Length, lineEnd + 2);
        return true;
    }

    /// <summary>
    /// Writes the head for the instance into <paramref name="written"/>: the request line with the target
    /// the instance is asked for, the client's end-to-end headers as they came, and the service's
    /// <c>X-Forwarded-*</c>; <c>Host</c> and the empty line are added once the instance's port is known
    /// (<see cref="Finish"/>). Returns false, having written part of it, when a header is one the front does not take.
    /// </summary>
    public static bool TryWrite(ReadOnlySpan<byte> head, in FrontRequestLine line, bool stripPrefix, in FrontPeer peer, ref HeadBuffer written, out bool close)
    {
        close = false;
        var target = line.Target(head);
        written.AppendLiteral(line.Method(head));
        written.AppendLiteral(" "u8);
        written.AppendLiteral(stripPrefix ? target[(IdLength + 1)..] : target);
        written.AppendLiteral(" HTTP/1.1\r\n"u8);

        ReadOnlySpan<byte> host = default;
        var headers = new PlainHeaderLines(head[line.Length..]);
        while (headers.MoveNext(out var name, out var value))
        {
            switch (Classify(name))
            {
                case HeaderKind.EndToEnd:
                    written.AppendLiteral(name);
                    written.AppendLiteral(": "u8);
                    written.AppendLiteral(value);
                    written.AppendLiteral("\r\n"u8);
                    break;
                case HeaderKind.Host:
                    if (!host.IsEmpty || !IsPlainHost(value))
                    {
                        return false;
                    }

                    host = value;
                    break;
                case HeaderKind.Connection:
                    if (!TryReadConnection(value, ref close))
                    {
                        return false; // it names headers to drop, or asks for an upgrade: Kestrel's path handles both
                    }

                    break;
                case HeaderKind.Dropped:
                    break;
                default:
                    return false; // a body, an expectation, an upgrade
            }
        }

        if (headers.Malformed || host.IsEmpty)
        {
            return false;
        }

        if (peer.ForwardedFor is { } client)
        {
            written.AppendLiteral("X-Forwarded-For: "u8);
            written.AppendLiteral(client);
            written.AppendLiteral("\r\n"u8);
        }

        written.AppendLiteral(peer.Tls ? "X-Forwarded-Proto: https\r\nX-Forwarded-Host: "u8 : "X-Forwarded-Proto: http\r\nX-Forwarded-Host: "u8);
        written.AppendLiteral(host);
        written.AppendLiteral("\r\nX-Forwarded-Prefix: "u8);
        written.AppendLiteral(target[..(IdLength + 1)]);
        written.AppendLiteral("\r\n"u8);
        return true;
    }

    /// <summary>
    /// True when <paramref name="head"/> (a whole head) is one that Kestrel frames exactly as the front does:
    /// HTTP/1.1, every line in strict syntax, and no body (no <c>Transfer-Encoding</c>, no <c>Content-Length</c>
    /// but 0), no upgrade and no expectation. Only such a request can be lent to Kestrel on its own
    /// (<see cref="KestrelLoan"/>): with it, the next request starts right after its empty line for both.
    /// </summary>
    public static bool IsPlainBodiless(ReadOnlySpan<byte> head)
    {
        var lineEnd = head.IndexOf("\r\n"u8);
        var requestLine = head[..lineEnd];
        var space = requestLine.IndexOf((byte)' ');
        if (space <= 0 || !PlainHeaderLines.IsToken(requestLine[..space]) || requestLine[..space].SequenceEqual("CONNECT"u8)
            || !requestLine.EndsWith(" HTTP/1.1"u8))
        {
            return false;
        }

        var target = requestLine[(space + 1)..^9];
        if (target.IsEmpty || target.ContainsAnyExceptInRange((byte)'!', (byte)'~'))
        {
            return false;
        }

        var headers = new PlainHeaderLines(head[(lineEnd + 2)..]);
        while (headers.MoveNext(out var name, out var value))
        {
            var close = false;
            if ((Ascii.EqualsIgnoreCase(name, "Content-Length"u8) && !value.SequenceEqual("0"u8))
                || (Ascii.EqualsIgnoreCase(name, "Connection"u8) && !TryReadConnection(value, ref close))
                || (Classify(name) == HeaderKind.NotTaken && !Ascii.EqualsIgnoreCase(name, "Content-Length"u8)))
            {
                return false;
            }
        }

        return !headers.Malformed;
    }

    /// <summary>Ends the head: <c>Host</c> naming the instance (as both other paths send it) and the empty line.</summary>
    public static void Finish(int port, ref HeadBuffer written)
    {
        written.AppendLiteral("Host: 127.0.0.1:"u8);
        written.AppendNumber(port);
        written.AppendLiteral("\r\n\r\n"u8);
    }

    // RFC 3986 pchar without '%', and '/': what a path may hold here. '%' goes to the dot-segment guard.
    private static readonly System.Buffers.SearchValues<byte> PathBytes = System.Buffers.SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/"u8);

    // A query may hold percent-encoding and '?' as well; it is never decoded by the service.
    private static readonly System.Buffers.SearchValues<byte> QueryBytes = System.Buffers.SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/?%"u8);

    private static readonly System.Buffers.SearchValues<byte> HostNameBytes = System.Buffers.SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._"u8);

    private static readonly System.Buffers.SearchValues<byte> Ipv6Bytes = System.Buffers.SearchValues.Create(
        "abcdefABCDEF0123456789:."u8);

    private static readonly byte[][] DroppedNames = [.. HopByHopHeaders.All.Concat(ForwardedHeaders.Names).Select(Encoding.ASCII.GetBytes)];

    private static bool IsPlainPath(ReadOnlySpan<byte> path) =>
        !path.ContainsAnyExcept(PathBytes) && path.IndexOf("/."u8) < 0;

    private static bool IsPlainQuery(ReadOnlySpan<byte> query) => !query.ContainsAnyExcept(QueryBytes);

    /// <summary>
    /// A name or an IPv4 address, or a bracketed IPv6 one, with an optional port of 1 to 65535: what browsers
    /// send, and nothing Kestrel would refuse (it answers 400 to a Host that is not a URI authority, and
    /// the front must never take a request Kestrel refuses). Anything else is lent to Kestrel.
    /// </summary>
    private static bool IsPlainHost(ReadOnlySpan<byte> host)
    {
        ReadOnlySpan<byte> rest;
        if (host.StartsWith("["u8))
        {
            var close = host.IndexOf((byte)']');
            var literal = close > 1 ? host[1..close] : default;
            if (literal.IsEmpty || literal.ContainsAnyExcept(Ipv6Bytes)
                || !System.Net.IPAddress.TryParse(literal, out var address)
                || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                return false;
            }

            rest = host[(close + 1)..];
        }
        else
        {
            var colon = host.IndexOf((byte)':');
            var name = colon < 0 ? host : host[..colon];
            if (name.IsEmpty || name.ContainsAnyExcept(HostNameBytes))
            {
                return false;
            }

            rest = host[name.Length..];
        }

        return rest.IsEmpty || (rest[0] == ':' && IsPort(rest[1..]));
    }

    private static bool IsPort(ReadOnlySpan<byte> port) =>
        port.Length is > 0 and <= 5 && !port.ContainsAnyExceptInRange((byte)'0', (byte)'9')
        && int.Parse(port, System.Globalization.CultureInfo.InvariantCulture) is > 0 and <= 65535;

    private static bool IsCanonicalId(ReadOnlySpan<byte> id)
    {
        for (var i = 0; i < id.Length; i++)
        {
            var valid = i is 8 or 13 or 18 or 23 ? id[i] == (byte)'-' : char.IsAsciiHexDigit((char)id[i]);
            if (!valid)
            {
                return false;
            }
        }

        return true;
    }

    // "keep-alive", "close", or both: anything more names headers to drop or asks for an upgrade.
    private static bool TryReadConnection(ReadOnlySpan<byte> value, ref bool close)
    {
        foreach (var range in value.Split((byte)','))
        {
            var option = value[range].Trim(" \t"u8);
            if (Ascii.EqualsIgnoreCase(option, "close"u8))
            {
                close = true;
            }
            else if (!Ascii.EqualsIgnoreCase(option, "keep-alive"u8))
            {
                return false;
            }
        }

        return true;
    }

    private static HeaderKind Classify(ReadOnlySpan<byte> name)
    {
        if (Ascii.EqualsIgnoreCase(name, "Host"u8))
        {
            return HeaderKind.Host;
        }

        if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
        {
            return HeaderKind.Connection;
        }

        if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8) || Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8)
            || Ascii.EqualsIgnoreCase(name, "Expect"u8) || Ascii.EqualsIgnoreCase(name, "Upgrade"u8)
            || Ascii.EqualsIgnoreCase(name, "HTTP2-Settings"u8))
        {
            return HeaderKind.NotTaken;
        }

        foreach (var dropped in DroppedNames)
        {
            if (dropped.Length == name.Length && Ascii.EqualsIgnoreCase(name, dropped))
            {
                return HeaderKind.Dropped;
            }
        }

        return HeaderKind.EndToEnd;
    }

    private enum HeaderKind
    {
        EndToEnd,
        Host,
        Connection,
        Dropped,
        NotTaken,
    }
}

/// <summary>Where the parts of a request line the front took are: the method's length, the target's, and the line's with its CRLF.</summary>
internal readonly record struct FrontRequestLine(int MethodLength, int TargetLength, int Length)
{
    public bool IsHead => MethodLength == 4;

    public ReadOnlySpan<byte> Method(ReadOnlySpan<byte> head) => head[..MethodLength];

    public ReadOnlySpan<byte> Target(ReadOnlySpan<byte> head) => head.Slice(MethodLength + 1, TargetLength);

    /// <summary>The id as the client spelled it (any case of hex digits).</summary>
    public ReadOnlySpan<byte> Id(ReadOnlySpan<byte> head) => head.Slice(MethodLength + 2, 36);
}

/// <summary>What the front knows of the client's connection: its address for <c>X-Forwarded-For</c> (as ASCII), and whether it came over TLS.</summary>
internal readonly record struct FrontPeer(byte[]? ForwardedFor, bool Tls);

/// <summary>
/// The header lines of a request head, one <c>name: value</c> at a time, for as long as each is plain:
/// a token name right before its colon, a value (without its surrounding spaces and tabs) of printable
/// ASCII and tabs, at most <see cref="FrontRequestHead.MaxHeaderCount"/> of them. At the first that is
/// not, or past the limit, the reading stops with <see cref="Malformed"/> set: control characters,
/// obs-fold, bytes beyond ASCII and too many headers are Kestrel's to judge.
/// </summary>
internal ref struct PlainHeaderLines(ReadOnlySpan<byte> lines)
{
    private static readonly System.Buffers.SearchValues<byte> Printable = System.Buffers.SearchValues.Create(
        [(byte)'\t', .. Enumerable.Range(' ', '~' - ' ' + 1).Select(b => (byte)b)]);

    private static readonly System.Buffers.SearchValues<byte> TokenBytes = System.Buffers.SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~"u8);

    // The lines through the head's empty line: each ends in CRLF, and the last CRLF is the empty line's.
    private ReadOnlySpan<byte> _rest = lines[..^2];
    private int _count;

    public bool Malformed { get; private set; }

    public static bool IsToken(ReadOnlySpan<byte> name) => !name.IsEmpty && !name.ContainsAnyExcept(TokenBytes);

    public bool MoveNext(out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        name = value = default;
        if (_rest.IsEmpty || Malformed)
        {
            return false;
        }

        var end = _rest.IndexOf("\r\n"u8);
        var line = _rest[..end];
        _rest = _rest[(end + 2)..];
        var colon = line.IndexOf((byte)':');
        if (++_count > FrontRequestHead.MaxHeaderCount || colon <= 0 || !IsToken(line[..colon]))
        {
            Malformed = true;
            return false;
        }

        name = line[..colon];
        value = line[(colon + 1)..].Trim(" \t"u8);
        if (value.ContainsAnyExcept(Printable))
        {
            Malformed = true;
            return false;
        }

        return true;
    }
}
