using System.Buffers.Text;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Skia.Pool.Infrastructure.Http;

/// <summary>
/// A parsed HTTP/1.x response head from an instance: its status, how its body is framed, whether the
/// connection may carry another request. Parsing is strict: an instance is the service's own child, but
/// what it sends is data from a program the service does not control, and a head the relay cannot read
/// exactly is refused (502) rather than guessed at.
/// </summary>
public readonly record struct ResponseHead(int Status, BodyFraming Framing, long ContentLength, bool KeepAlive)
{
    /// <summary>Larger heads are refused, as HttpClient refuses them by default: the relay's read buffer holds one.</summary>
    public const int MaxSize = RelayConnection.BufferSize;

    private static readonly string[] CommonNames =
    [
        HeaderNames.ContentType, HeaderNames.Date, HeaderNames.Server, HeaderNames.CacheControl, HeaderNames.ETag,
        HeaderNames.LastModified, HeaderNames.Location, HeaderNames.SetCookie, HeaderNames.Vary, HeaderNames.ContentEncoding,
        HeaderNames.Expires, HeaderNames.AcceptRanges, HeaderNames.ContentDisposition, HeaderNames.Pragma,
        HeaderNames.AccessControlAllowOrigin, HeaderNames.ContentLocation, HeaderNames.ContentRange,
        HeaderNames.ContentSecurityPolicy, HeaderNames.XContentTypeOptions, HeaderNames.XFrameOptions,
    ];

    /// <summary>The length of the head at the start of <paramref name="buffered"/>, through its empty line; -1 while incomplete.</summary>
    public static int FindEnd(ReadOnlySpan<byte> buffered)
    {
        var end = buffered.IndexOf("\r\n\r\n"u8);
        return end < 0 ? -1 : end + 4;
    }

    /// <summary>
    /// True when the bytes of a head received so far hold a line feed without its carriage return. Such a
    /// head is malformed (the strict parser refuses it), and it would never be whole either: its end is
    /// a bare empty line, not the CRLF CRLF that <see cref="FindEnd"/> looks for, so waiting for the rest
    /// would hold the client until the exchange's activity timeout.
    /// </summary>
    public static bool HasBareLineFeed(ReadOnlySpan<byte> received) =>
        received.Count((byte)'\n') != received.Count("\r\n"u8);

    /// <summary>
    /// Parses a whole head (as delimited by <see cref="FindEnd"/>) and adds its end-to-end headers to
    /// <paramref name="headers"/>; the hop-by-hop ones, those its <c>Connection</c> header names and
    /// <c>Content-Length</c> (which is <see cref="ContentLength"/>) are left out. Returns null and the
    /// reason when the head is malformed.
    /// </summary>
    public static ResponseHead? Parse(ReadOnlySpan<byte> head, bool answersHead, IHeaderDictionary headers, out string? error)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var lineEnd = head.IndexOf("\r\n"u8);
        if (!TryParseStatusLine(head[..Math.Max(lineEnd, 0)], out var status, out var http11))
        {
            error = "The instance's status line is not HTTP/1.x.";
            return null;
        }

        error = null;
        if (status < 200)
        {
            return new ResponseHead(status, BodyFraming.None, 0, http11); // interim: its headers are not the answer's
        }

        long? contentLength = null;
        bool transferEncoded = false, close = !http11;
        List<string>? connectionValues = null;
        var rest = head[(lineEnd + 2)..^2]; // the header lines, each ending in CRLF
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf("\r\n"u8);
            var line = rest[..end];
            rest = rest[(end + 2)..];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0 || !IsToken(line[..colon]) || !TryReadValue(line[(colon + 1)..], out var value))
            {
                error = "The instance sent a malformed header line.";
                return null;
            }

            var name = line[..colon];
            if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
            {
                // Digits only: Utf8Parser would also take a sign ("+5").
                if (value.IsEmpty || value.ContainsAnyExceptInRange((byte)'0', (byte)'9')
                    || !Utf8Parser.TryParse(value, out long announcedLength, out var used) || used != value.Length
                    || (contentLength is { } earlier && earlier != announcedLength))
                {
                    error = "The instance sent an invalid or conflicting Content-Length.";
                    return null;
                }

                contentLength = announcedLength;
                continue;
            }

            if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
            {
                // Chunked alone: another coding (gzip, chunked) would reach the client without its name.
                if (transferEncoded || !Ascii.EqualsIgnoreCase(value, "chunked"u8))
                {
                    error = "The instance sent a Transfer-Encoding other than chunked.";
                    return null;
                }

                transferEncoded = true;
                continue;
            }

            var nameText = NameOf(name);
            var valueText = Encoding.ASCII.GetString(value);
            if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
            {
                (connectionValues ??= []).Add(valueText);
                close |= HasToken(value, "close"u8);
                continue;
            }

            if (!HopByHopHeaders.Contains(nameText))
            {
                // Not Append: it drops an empty value, which the instance sent and YARP passes on.
                headers[nameText] = StringValues.Concat(headers[nameText], valueText);
            }
        }

        if (connectionValues is not null)
        {
            ConnectionHeaders.RemoveNamed(headers, connectionValues);
        }

        // 204 and 205 never have content (RFC 9110 15.3.5, 15.3.6), whatever they announce; Kestrel refuses
        // both a body and a length on them. One that announces a body may still send it: the connection is
        // then not reused, so those bytes are never read as the next answer.
        var noContent = status is StatusCodes.Status204NoContent or StatusCodes.Status205ResetContent;
        if (noContent)
        {
            return new ResponseHead(status, BodyFraming.None, 0, !close && !transferEncoded && contentLength is null or 0);
        }

        if (contentLength is { } announced && !transferEncoded)
        {
            headers.ContentLength = announced; // an answer to HEAD (or a 304) says how large the GET's body would be
        }

        if (answersHead || status == StatusCodes.Status304NotModified)
        {
            return new ResponseHead(status, BodyFraming.None, 0, !close);
        }

        // Chunked wins over a Content-Length beside it (RFC 9112 6.3), but such a connection is not reused.
        return transferEncoded
            ? new ResponseHead(status, BodyFraming.Chunked, 0, !close && contentLength is null)
            : contentLength is { } length
                ? new ResponseHead(status, BodyFraming.ContentLength, length, !close)
                : new ResponseHead(status, BodyFraming.UntilClose, 0, KeepAlive: false);
    }

    /// <summary>
    /// The reason phrase of a head's status line when it is not the standard one for <paramref name="status"/>
    /// (Kestrel sends the standard one unless told otherwise, as YARP tells it); null when it is, or empty.
    /// </summary>
    public static string? UnusualReason(ReadOnlySpan<byte> head, int status)
    {
        var lineEnd = head.IndexOf("\r\n"u8);
        var line = lineEnd < 0 ? head : head[..lineEnd];
        var reason = line.Length > 13 ? line[13..] : [];
        return reason.IsEmpty || Ascii.Equals(reason, ReasonPhrases.GetReasonPhrase(status)) ? null : Encoding.ASCII.GetString(reason);
    }

    /// <summary>
    /// True when <paramref name="buffered"/> begins as an HTTP/1.x answer does (<c>HTTP/1.x NNN</c>), however
    /// the rest of it is written: what a readiness probe needs to know the instance speaks HTTP, where the
    /// relay's strict <see cref="Parse"/> decides only whether its connection can be kept.
    /// </summary>
    public static bool StartsWithStatusLine(ReadOnlySpan<byte> buffered) =>
        buffered.Length >= 12 && buffered.StartsWith("HTTP/1."u8) && char.IsAsciiDigit((char)buffered[7]) && buffered[8] == (byte)' '
        && char.IsAsciiDigit((char)buffered[9]) && char.IsAsciiDigit((char)buffered[10]) && char.IsAsciiDigit((char)buffered[11]);

    private static bool TryParseStatusLine(ReadOnlySpan<byte> line, out int status, out bool http11)
    {
        status = 0;
        http11 = false;
        // "HTTP/1.1 200" with an optional " reason".
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || line[7] is not ((byte)'0' or (byte)'1') || line[8] != (byte)' '
            || !char.IsAsciiDigit((char)line[9]) || !char.IsAsciiDigit((char)line[10]) || !char.IsAsciiDigit((char)line[11])
            || (line.Length > 12 && line[12] != (byte)' '))
        {
            return false;
        }

        foreach (var b in line[12..])
        {
            if (b is < (byte)' ' and not (byte)'\t' or 0x7F)
            {
                return false;
            }
        }

        status = ((line[9] - '0') * 100) + ((line[10] - '0') * 10) + (line[11] - '0');
        http11 = line[7] == (byte)'1';
        return status >= 100;
    }

    private static bool IsToken(ReadOnlySpan<byte> name)
    {
        foreach (var b in name)
        {
            if (!(char.IsAsciiLetterOrDigit((char)b) || "!#$%&'*+-.^_`|~"u8.Contains(b)))
            {
                return false;
            }
        }

        return true;
    }

    // A field value without its surrounding whitespace: visible ASCII, spaces and tabs only (no obs-fold,
    // no control characters, nothing Kestrel would refuse to send on).
    private static bool TryReadValue(ReadOnlySpan<byte> raw, out ReadOnlySpan<byte> value)
    {
        value = raw.Trim(" \t"u8);
        foreach (var b in value)
        {
            if (b is < (byte)' ' and not (byte)'\t' or > (byte)'~')
            {
                return false;
            }
        }

        return true;
    }

    private static bool HasToken(ReadOnlySpan<byte> list, ReadOnlySpan<byte> token)
    {
        foreach (var range in list.Split((byte)','))
        {
            if (Ascii.EqualsIgnoreCase(list[range].Trim(" \t"u8), token))
            {
                return true;
            }
        }

        return false;
    }

    // The header names nearly every answer carries are not allocated again for each one.
    private static string NameOf(ReadOnlySpan<byte> name)
    {
        foreach (var common in CommonNames)
        {
            if (common.Length == name.Length && Ascii.EqualsIgnoreCase(name, common))
            {
                return common;
            }
        }

        return Encoding.ASCII.GetString(name);
    }
}
