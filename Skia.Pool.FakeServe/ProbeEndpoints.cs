using System.Buffers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Skia.Pool.FakeServe;

/// <summary>
/// Test helpers beyond skiaserve's contract: large bodies, an echo of the request as received, and any status
/// with any redirect or cookie, to check what a proxy in front of FakeServe does to them.
/// </summary>
internal static class ProbeEndpoints
{
    public static IEndpointRouteBuilder MapProbeEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/bytes/{n:long}", ["GET", "HEAD"], WriteBytesAsync);
        app.Map("/echo/{**rest}", EchoAsync);
        app.Map("/status/{code:int}", Status);
        return app;
    }

    // With ?chunked=true the length is not announced, so Kestrel sends the body chunked.
    private static async Task WriteBytesAsync(long n, bool? chunked, HttpResponse response, CancellationToken cancellationToken)
    {
        if (n < 0)
        {
            response.StatusCode = StatusCodes.Status400BadRequest;
            await response.WriteAsync("n must not be negative\n", cancellationToken);
            return;
        }

        response.ContentType = "application/octet-stream";
        if (chunked != true)
        {
            response.ContentLength = n;
        }

        await BytePattern.WriteAsync(response.Body, n, cancellationToken);
    }

    private static async Task<Ok<EchoResponse>> EchoAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var rawTarget = request.HttpContext.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        var headers = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            headers[name] = [.. values.Select(value => value ?? "")];
        }

        // Hash while reading, so that a body of any size costs one buffer.
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(80 * 1024);
        long bodyBytes = 0;
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                sha256.AppendData(buffer, 0, read);
                bodyBytes += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return TypedResults.Ok(new EchoResponse(
            request.Protocol,
            request.Method,
            rawTarget,
            request.Path.Value ?? "",
            request.QueryString.Value ?? "",
            headers,
            bodyBytes,
            Convert.ToHexStringLower(sha256.GetHashAndReset())));
    }

    private static Results<ContentHttpResult, StatusCodeHttpResult> Status(
        int code, HttpRequest request, HttpResponse response)
    {
        // 1xx are not final answers: a client would wait for the real one forever.
        if (code is < 200 or > 599)
        {
            return BadRequest("code must be from 200 to 599");
        }

        var location = request.Query["location"];
        var cookies = request.Query["cookie"];
        var headers = request.Query["header"];
        if (!location.Concat(cookies).Concat(headers).All(IsValidHeaderValue))
        {
            return BadRequest("location, cookie and header must be visible ASCII");
        }

        foreach (var header in headers)
        {
            // header=Name:Value, repeatable: any response header, for tests of what a proxy passes back.
            var colon = header!.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                return BadRequest("header must be Name:Value");
            }

            response.Headers.Append(header[..colon].Trim(), header[(colon + 1)..].Trim());
        }

        if (location.Count > 0)
        {
            response.Headers.Location = location[^1];
        }

        foreach (var cookie in cookies)
        {
            response.Headers.Append("Set-Cookie", cookie);
        }

        // These statuses, and any answer to HEAD, must not carry a body.
        return code is StatusCodes.Status204NoContent or StatusCodes.Status205ResetContent or StatusCodes.Status304NotModified
            || HttpMethods.IsHead(request.Method)
            ? TypedResults.StatusCode(code)
            : TypedResults.Text($"status {code}", statusCode: code);
    }

    private static ContentHttpResult BadRequest(string message) =>
        TypedResults.Text(message + "\n", statusCode: StatusCodes.Status400BadRequest);

    /// <summary>What Kestrel would accept in a response header, checked here to answer 400 rather than fail with 500.</summary>
    private static bool IsValidHeaderValue(string? value) => value is not null && value.All(c => c is '\t' or (>= ' ' and <= '~'));
}
