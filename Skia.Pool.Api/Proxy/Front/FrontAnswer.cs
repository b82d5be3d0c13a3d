using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Skia.Pool.Api.Security;
using Skia.Pool.Infrastructure.Http;

namespace Skia.Pool.Api.Proxy.Front;

/// <summary>
/// The response heads the front writes, byte for byte as Kestrel writes them for the other paths: the
/// instance's answer (status, its end-to-end headers as the relay took them in, the framing, a
/// <c>Date</c> when the instance sent none) and the service's own problem answers (RFC 9457, with the
/// security headers every answer of the service's own carries).
/// </summary>
internal static class FrontAnswer
{
    private static readonly SearchValues<char> Ascii = SearchValues.Create(
        [.. Enumerable.Range(' ', '~' - ' ' + 1).Select(c => (char)c), '\t']);

    private static DateValue? _date;

    /// <summary>
    /// Writes the head of the instance's answer. Returns false, having written nothing, when a header
    /// value is one Kestrel would not send as it is (the caller answers 502 then, as a failed answer).
    /// </summary>
    public static bool TryWriteHead(PipeWriterAdapter output, ResponseHead answer, string? reason, IHeaderDictionary headers, bool close, TimeProvider time)
    {
        foreach (var (_, values) in headers)
        {
            foreach (var value in values)
            {
                if (value is not null && value.AsSpan().ContainsAnyExcept(Ascii))
                {
                    return false;
                }
            }
        }

        output.Ascii("HTTP/1.1 ");
        output.Number(answer.Status);
        output.Ascii(" ");
        output.Ascii(reason ?? ReasonPhrases.GetReasonPhrase(answer.Status));
        output.Ascii("\r\n");
        foreach (var (name, values) in headers)
        {
            foreach (var value in values)
            {
                output.Header(name, value ?? "");
            }
        }

        if (headers.Date.Count == 0)
        {
            output.Header("Date", Now(time));
        }

        if (answer.Framing is BodyFraming.Chunked or BodyFraming.UntilClose)
        {
            output.Ascii("Transfer-Encoding: chunked\r\n");
        }
        else if (answer.Status == StatusCodes.Status205ResetContent)
        {
            // No content (RFC 9110 15.3.6), but unlike a 204 a 205 is not bodiless by its status alone
            // (RFC 9112 6.3): without a length a client reads it until the connection closes. Kestrel says 0.
            output.Ascii("Content-Length: 0\r\n");
        }

        output.Ascii(close ? "Connection: close\r\n\r\n" : "\r\n");
        return true;
    }

    /// <summary>
    /// A problem answer of the service's own, whole (head and body); to a <c>HEAD</c> request the head alone,
    /// with the length the body would have had.
    /// </summary>
    public static void WriteProblem(PipeWriterAdapter output, int status, string type, string title, string detail, bool close, bool head, TimeProvider time)
    {
        var body = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            json.WriteString("type", type);
            json.WriteString("title", title);
            json.WriteNumber("status", status);
            json.WriteString("detail", detail);
            json.WriteString("traceId", $"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-00");
            json.WriteEndObject();
        }

        output.Ascii("HTTP/1.1 ");
        output.Number(status);
        output.Ascii(" ");
        output.Ascii(ReasonPhrases.GetReasonPhrase(status));
        output.Ascii("\r\n");
        output.Header("Content-Type", "application/problem+json");
        output.Header("Date", Now(time));
        foreach (var (name, value) in SecurityHeaders.ForOwnAnswers)
        {
            output.Header(name, value);
        }

        output.Ascii("Content-Length: ");
        output.Number(body.WrittenCount);
        output.Ascii(close ? "\r\nConnection: close\r\n\r\n" : "\r\n\r\n");
        if (!head)
        {
            output.Bytes(body.WrittenSpan);
        }
    }

    // The IMF-fixdate of this second, made once a second rather than once an answer.
    private static string Now(TimeProvider time)
    {
        var now = time.GetUtcNow();
        var second = now.ToUnixTimeSeconds();
        var date = Volatile.Read(ref _date);
        if (date is null || date.Second != second)
        {
            date = new DateValue(second, now.ToString("r", CultureInfo.InvariantCulture));
            Volatile.Write(ref _date, date);
        }

        return date.Text;
    }

    private sealed record DateValue(long Second, string Text);
}

/// <summary>Writes ASCII text and numbers into a pipe writer, for response heads.</summary>
internal readonly struct PipeWriterAdapter(System.IO.Pipelines.PipeWriter writer)
{
    public void Ascii(string text)
    {
        var span = writer.GetSpan(text.Length);
        var written = Encoding.ASCII.GetBytes(text, span);
        writer.Advance(written);
    }

    public void Bytes(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(writer.GetSpan(bytes.Length));
        writer.Advance(bytes.Length);
    }

    public void Number(long value)
    {
        var span = writer.GetSpan(20);
        value.TryFormat(span, out var written, provider: CultureInfo.InvariantCulture);
        writer.Advance(written);
    }

    public void Header(string name, string value)
    {
        Ascii(name);
        Ascii(": ");
        Ascii(value);
        Ascii("\r\n");
    }
}
