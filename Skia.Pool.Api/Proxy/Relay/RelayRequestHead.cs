using Microsoft.Net.Http.Headers;
using Skia.Pool.Infrastructure.Http;

namespace Skia.Pool.Api.Proxy.Relay;

/// <summary>
/// The HTTP/1.1 request head the relay sends an instance: the client's method and raw target (minus the
/// prefix), its headers less the hop-by-hop ones, those its <c>Connection</c> header names, <c>Host</c>
/// and the forwarding headers; then <c>Host</c> naming the instance (as the YARP path sends it too), the service's
/// <c>X-Forwarded-*</c>, and the body's framing, written from what Kestrel read rather than copied
/// from the client's headers: its <c>Content-Length</c>, or chunked when the client sent its body
/// chunked (Kestrel has already decoded it). Nothing the client sends can make the head and the body
/// it is followed by disagree.
/// </summary>
internal static class RelayRequestHead
{
    public static void Write(HttpRequest request, ReadOnlySpan<char> target, int port, in ForwardedHeaders forwarded, bool chunked, ref HeadBuffer head)
    {
        ArgumentNullException.ThrowIfNull(request);
        head.Append(request.Method);
        head.AppendLiteral(" "u8);
        head.Append(target);
        head.AppendLiteral(" HTTP/1.1\r\nHost: 127.0.0.1:"u8);
        head.AppendNumber(port);
        head.AppendLiteral("\r\n"u8);

        var headers = request.Headers;
        var named = headers.Connection.Count > 0
            ? ConnectionHeaders.NamedIn(headers.Connection).ToHashSet(StringComparer.OrdinalIgnoreCase)
            : null;
        foreach (var (name, values) in headers)
        {
            if (!Forwards(name) || named?.Contains(name) == true)
            {
                continue;
            }

            foreach (var value in values)
            {
                head.AppendHeader(name, value);
            }
        }

        if (forwarded.For is not null)
        {
            head.AppendHeader("X-Forwarded-For", forwarded.For);
        }

        head.AppendHeader("X-Forwarded-Proto", forwarded.Proto);
        head.AppendHeader("X-Forwarded-Host", forwarded.Host);
        head.AppendHeader("X-Forwarded-Prefix", forwarded.Prefix);
        if (chunked)
        {
            head.AppendLiteral("Transfer-Encoding: chunked\r\n"u8);
        }
        else if (request.ContentLength is { } length)
        {
            head.AppendLiteral("Content-Length: "u8);
            head.AppendNumber(length);
            head.AppendLiteral("\r\n"u8);
        }

        head.AppendLiteral("\r\n"u8);
    }

    private static bool Forwards(string name)
    {
        if (HopByHopHeaders.Contains(name) || name.Equals(HeaderNames.Host, StringComparison.OrdinalIgnoreCase)
            || name.Equals(HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase) || name.StartsWith(':'))
        {
            return false;
        }

        foreach (var replaced in ForwardedHeaders.Names)
        {
            if (replaced.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }
}
