using System.Net.Sockets;
using Microsoft.AspNetCore.Http.Features;
using Skia.Pool.Infrastructure.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Skia.Pool.Api.Proxy.Relay;

/// <summary>
/// The service's own HTTP/1.1 forwarding for plain requests, the ones nearly every page and API call
/// makes: no upgrade, no <c>Expect</c>, HTTP/1.x from the client, no control character in a header. It writes the
/// request head as bytes on a pooled keep-alive connection, reads the answer's head in place and copies
/// the body by its framing, which costs a fraction of YARP's and HttpClient's work per request
/// (docs/BENCHMARKS.md). Everything else goes through YARP (<see cref="InstanceForwarder"/>), which is
/// also where its outcomes are turned into answers: like <see cref="IHttpForwarder.SendAsync(HttpContext, string, HttpMessageInvoker, ForwarderRequestConfig, HttpTransformer)"/>,
/// <see cref="SendAsync"/> returns a <see cref="ForwarderError"/>, sets the status to answer with while
/// the response has not started, and aborts the client's connection when it has. The forwarder clears
/// whatever headers of a broken answer were taken in before it writes its problem.
/// </summary>
internal sealed class InstanceRelay(InstanceConnections connections, bool enabled)
{
    /// <summary>
    /// Off with <c>Pool:Relay=false</c>, and while spans are exported: the trace context is then set on
    /// forwarded requests by HttpClient, which only YARP's path goes through.
    /// </summary>
    public bool Enabled { get; } = enabled;

    /// <summary>True when the relay can carry this request; otherwise YARP does.</summary>
    public static bool Handles(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        var headers = request.Headers;
        return (HttpProtocol.IsHttp11(request.Protocol) || HttpProtocol.IsHttp10(request.Protocol))
            && headers.Upgrade.Count == 0
            && headers.Expect.Count == 0
            && !HttpMethods.IsConnect(request.Method)
            && context.Features.Get<IHttpUpgradeFeature>() is not { IsUpgradableRequest: true };
    }

    /// <summary>
    /// Forwards the request to the instance on <paramref name="port"/>. Null when it holds something only
    /// YARP carries (a control character in a header): then nothing has been sent and nothing written.
    /// </summary>
    public async ValueTask<ForwarderError?> SendAsync(HttpContext context, string rawTarget, bool stripPrefix, int port, string prefix, ForwardedHeaders forwarded)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        // Kestrel's own reading of the framing: a body without a length is one it is decoding from chunks.
        var chunkedBody = request.ContentLength is null && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true;
        var hasBody = chunkedBody || request.ContentLength > 0;
        var head = new HeadBuffer(2048);
        try
        {
            RelayRequestHead.Write(request, RequestTarget.PartForInstance(rawTarget, stripPrefix), port, forwarded, chunkedBody, ref head);
            if (head.Failed)
            {
                return null;
            }

            return await ExchangeAsync(context, head.Written, port, prefix, hasBody, chunkedBody).ConfigureAwait(false);
        }
        finally
        {
            head.Dispose();
        }
    }

    private async ValueTask<ForwarderError> ExchangeAsync(HttpContext context, ReadOnlyMemory<byte> requestHead, int port, string prefix, bool hasBody, bool chunkedBody)
    {
        var aborted = context.RequestAborted;
        var response = context.Response;
        for (var attempt = 0; ; attempt++)
        {
            RelayConnection connection;
            try
            {
                connection = await connections.RentAsync(port, aborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (aborted.IsCancellationRequested)
            {
                return Fail(context, ForwarderError.RequestCanceled, StatusCodes.Status400BadRequest);
            }
            catch (SocketException)
            {
                return Fail(context, ForwarderError.Request, StatusCodes.Status502BadGateway);
            }

            var reusable = false;
            try
            {
                var reused = connection.Reused;
                var sentHead = await connection.TrySendAsync(requestHead, aborted).ConfigureAwait(false);
                var body = sentHead && hasBody ? new RequestBodySender(context.Request.BodyReader, connection, chunkedBody, aborted) : null;
                var sending = body?.SendAsync() ?? Task.CompletedTask;

                var (answer, nothingReceived) = sentHead ? await ReadHeadAsync(context, connection).ConfigureAwait(false) : (null, true);
                if (answer is null)
                {
                    // An instance that sent no usable head may also have stopped reading the upload: stop sending it.
                    if (sending.IsCompleted)
                    {
                        await sending.ConfigureAwait(false);
                    }
                    else
                    {
                        await EndAsync(connection, sending, body).ConfigureAwait(false);
                    }

                    // An idle connection the instance closed just as it was reused: the request never reached
                    // it. Sent again once on a new connection, when no body had to be consumed to send it.
                    if (reused && nothingReceived && !hasBody && attempt == 0 && !aborted.IsCancellationRequested && !connection.TimedOut)
                    {
                        continue;
                    }

                    return HeadFailure(context, connection, body);
                }

                response.StatusCode = answer.Value.Status;
                Security.SecurityHeaders.MarkProxied(context); // the instance's own answer: its headers stay as they are
                ResponseAddresses.MapIntoPrefix(response.Headers, answer.Value.Status, prefix, port);

                var copier = new ResponseBodyCopier(connection, response.BodyWriter, aborted);
                if (!await copier.CopyAsync(answer.Value).ConfigureAwait(false))
                {
                    await EndAsync(connection, sending, body).ConfigureAwait(false);
                    return BodyFailure(context, copier);
                }

                // The instance may answer before it has read the whole upload: then the connection is not reusable.
                reusable = answer.Value.KeepAlive && answer.Value.Framing != BodyFraming.UntilClose
                    && connection.Start == connection.End && sending.IsCompleted && body?.Completed != false;
                if (!sending.IsCompleted)
                {
                    await EndAsync(connection, sending, body).ConfigureAwait(false);
                }

                return ForwarderError.None;
            }
            finally
            {
                if (reusable)
                {
                    connections.Return(connection);
                }
                else
                {
                    connection.Dispose();
                }
            }
        }
    }

    /// <summary>The final answer's head (interim 1xx answers are skipped); null when none came whole, and whether any byte came.</summary>
    private static async ValueTask<(ResponseHead? Head, bool NothingReceived)> ReadHeadAsync(HttpContext context, RelayConnection connection)
    {
        var read = await ResponseHeadReader.ReadAsync(connection, HttpMethods.IsHead(context.Request.Method), context.Response.Headers, context.RequestAborted)
            .ConfigureAwait(false);
        if (read.Head is not { } answer || answer.Status == StatusCodes.Status101SwitchingProtocols)
        {
            return (null, read.NothingReceived); // a 101 was not asked for: no upgrade goes through the relay
        }

        if (read.UnusualReason is { } reason)
        {
            context.Features.GetRequiredFeature<IHttpResponseFeature>().ReasonPhrase = reason; // as YARP passes it on
        }

        return (answer, false);
    }

    private static ForwarderError HeadFailure(HttpContext context, RelayConnection connection, RequestBodySender? body)
    {
        if (body?.ClientFailure is { } bad)
        {
            return Fail(context, ForwarderError.RequestBodyClient, bad.StatusCode);
        }

        if (body?.ClientGone == true || context.RequestAborted.IsCancellationRequested)
        {
            return Fail(context, ForwarderError.RequestCanceled, StatusCodes.Status400BadRequest);
        }

        return connection.TimedOut
            ? Fail(context, ForwarderError.RequestTimedOut, StatusCodes.Status504GatewayTimeout)
            : Fail(context, body is null ? ForwarderError.Request : ForwarderError.RequestBodyDestination, StatusCodes.Status502BadGateway);
    }

    private static ForwarderError BodyFailure(HttpContext context, ResponseBodyCopier copier)
    {
        var failure = copier.Failure;
        var error = failure switch
        {
            BodyCopyFailure.Client => ForwarderError.ResponseBodyCanceled,
            BodyCopyFailure.TimedOut => ForwarderError.RequestTimedOut,
            _ => ForwarderError.ResponseBodyDestination,
        };
        // Part of the body written, even if not sent yet, cannot be taken back: Kestrel would send it ahead
        // of any problem. A client must never see a truncated body as complete, nor one glued to ours.
        if (context.Response.HasStarted || copier.Written > 0)
        {
            context.Abort();
            return error;
        }

        return Fail(context, error, failure == BodyCopyFailure.TimedOut ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status502BadGateway);
    }

    private static ForwarderError Fail(HttpContext context, ForwarderError error, int status)
    {
        if (!context.Response.HasStarted)
        {
            context.Response.StatusCode = status;
        }

        return error;
    }

    // An exchange cut short, or answered before the upload was sent: the instance's connection ends, and
    // a read of the client's body still pending is cancelled (the client may be waiting for the answer).
    private static async ValueTask EndAsync(RelayConnection connection, Task sending, RequestBodySender? body)
    {
        body?.Stop();
        connection.EndExchange();
        await sending.ConfigureAwait(false);
    }
}
