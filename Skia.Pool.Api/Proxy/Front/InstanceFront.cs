using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Skia.Pool.Api.Problems;
using Skia.Pool.Api.Proxy.Relay;
using Skia.Pool.Api.Security;
using Skia.Pool.Api.Telemetry;
using Skia.Pool.Domain;
using Skia.Pool.Domain.Instances;
using Skia.Pool.Domain.Lifecycle;
using Skia.Pool.Infrastructure.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Skia.Pool.Api.Proxy.Front;

/// <summary>
/// The front: a Kestrel connection middleware that reads each request head off the connection before
/// Kestrel's HTTP server does, and forwards the simplest requests to a running instance itself
/// (<see cref="FrontRequestHead"/> says which). Kestrel's HTTP/1.1 server and ASP.NET Core's pipeline
/// cost about as much CPU per small request as nginx's whole proxying (docs/BENCHMARKS.md); these
/// requests, nearly every request a page makes, skip both. The first request it does not take — a
/// service route, a body, an instance not running yet, anything unusual — is left unread on the
/// connection and the connection goes on to Kestrel, which serves it and every later request there
/// exactly as without the front. Each exchange with the instance is the relay's: a pooled connection,
/// the strict answer reader, the body copier, the address rewriting.
/// </summary>
internal sealed partial class InstanceFront(
    InstanceManager instances, InstanceConnections connections, IOptions<PoolOptions> options, PoolMetrics metrics, TimeProvider time, ILogger<InstanceFront> logger)
{
    /// <summary>Kestrel's <c>KeepAliveTimeout</c> too (KestrelLimits): how long a connection may sit between requests.</summary>
    private readonly TimeSpan _keepAlive = options.Value.KeepAliveTimeout;

    public async Task ServeAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(next);
        var peer = PeerOf(connection, options.Value.TrustedProxies);
        if (peer is null)
        {
            await next(connection).ConfigureAwait(false); // a trusted proxy's: its forwarding headers are read by the pipeline
            return;
        }

        await ServeOwnAsync(connection, next, peer.Value).ConfigureAwait(false);
    }

    /// <summary>
    /// Serves the connection's requests: those the front takes itself, bodiless others through Kestrel on
    /// loan; at the first it cannot frame, Kestrel gets the rest of the connection.
    /// </summary>
    private async Task ServeOwnAsync(ConnectionContext connection, ConnectionDelegate next, FrontPeer peer)
    {
        var input = connection.Transport.Input;
        using var writer = new FrontResponseWriter(connection.Transport.Output, time);
        KestrelLoan? loan = null;
        try
        {
            if (await ServeRequestsAsync(connection, next, peer, input, writer, l => loan = l).ConfigureAwait(false))
            {
                if (loan is null)
                {
                    await next(connection).ConfigureAwait(false); // Kestrel reads the request from the start, and all after it
                }
                else
                {
                    await loan.RelayForeverAsync(input, writer).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            if (loan is not null)
            {
                await loan.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>The request loop; true when the rest of the connection is Kestrel's.</summary>
    private async Task<bool> ServeRequestsAsync(
        ConnectionContext connection, ConnectionDelegate next, FrontPeer peer, PipeReader input, FrontResponseWriter writer, Action<KestrelLoan> lent)
    {
        using var idle = time.CreateTimer(static state => ((PipeReader)state!).CancelPendingRead(), input, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        using var closing = connection.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested
            .Register(static state => ((PipeReader)state!).CancelPendingRead(), input);
        var headers = new HeaderDictionary();
        byte[]? scratch = null; // only for a head across two of the transport's blocks: most connections never need it
        KestrelLoan? loan = null;
        while (true)
        {
            ReadResult read;
            idle.Change(_keepAlive, Timeout.InfiniteTimeSpan);
            try
            {
                read = await input.ReadAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or ConnectionResetException or OperationCanceledException or ObjectDisposedException)
            {
                return false;
            }
            finally
            {
                idle.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }

            var buffer = read.Buffer;
            if (read.IsCanceled || (buffer.IsEmpty && read.IsCompleted))
            {
                input.AdvanceTo(buffer.Start);
                return false; // quiet for the keep-alive timeout, the server is stopping, or the client is done
            }

            var headLength = HeadLength(buffer, ref scratch, out var head);
            if (headLength > 0 && Take(head, peer) is { } request)
            {
                input.AdvanceTo(buffer.GetPosition(headLength));
                bool goOn;
                using (request.Lease)
                {
                    try
                    {
                        goOn = await ExchangeAsync(connection, writer, headers, request).ConfigureAwait(false);
                    }
                    finally
                    {
                        request.Dispose();
                    }
                }

                if (!goOn)
                {
                    return false;
                }

                continue;
            }

            if (headLength > 0 && FrontRequestHead.IsPlainBodiless(head))
            {
                var lentHead = buffer.Slice(0, headLength);
                if (loan is null || loan.Ended)
                {
                    loan = await RenewAsync(loan).ConfigureAwait(false); // Kestrel ended it while idle (its keep-alive timeout)
                }

                var answer = await loan.ServeAsync(lentHead, writer).ConfigureAwait(false);
                if (answer == LoanAnswer.NotRead)
                {
                    // Kestrel ended the loan just as this request came, without taking it: a new loan may.
                    loan = await RenewAsync(loan).ConfigureAwait(false);
                    answer = await loan.ServeAsync(lentHead, writer).ConfigureAwait(false);
                }

                input.AdvanceTo(buffer.GetPosition(headLength));
                if (answer != LoanAnswer.Answered)
                {
                    return false;
                }

                continue;
            }

            // A body, an upgrade, anything unusual, or a head not whole yet: Kestrel's, from its first byte on.
            input.AdvanceTo(buffer.Start);
            return true;
        }

        async ValueTask<KestrelLoan> RenewAsync(KestrelLoan? ended)
        {
            if (ended is not null)
            {
                await ended.DisposeAsync().ConfigureAwait(false);
            }

            var renewed = KestrelLoan.Start(connection, next);
            lent(renewed);
            return renewed;
        }
    }

    /// <summary>
    /// The length of the whole request head at the start of <paramref name="buffer"/> (through its empty line),
    /// and the head; 0 when none is whole in what has arrived, or it is longer than the front reads.
    /// </summary>
    private static int HeadLength(ReadOnlySequence<byte> buffer, ref byte[]? scratch, out ReadOnlySpan<byte> head)
    {
        head = default;
        var first = buffer.FirstSpan;
        var end = first.IndexOf("\r\n\r\n"u8);
        if (end >= 0)
        {
            head = first[..(end + 4)];
        }
        else if (!buffer.IsSingleSegment)
        {
            // A head across two of the transport's blocks: looked at in one piece.
            scratch ??= new byte[FrontRequestHead.MaxHeadLength];
            var length = (int)Math.Min(buffer.Length, scratch.Length);
            buffer.Slice(0, length).CopyTo(scratch);
            end = scratch.AsSpan(0, length).IndexOf("\r\n\r\n"u8);
            if (end < 0)
            {
                return 0;
            }

            head = scratch.AsSpan(0, end + 4);
        }

        return head.Length is > 0 and <= FrontRequestHead.MaxHeadLength ? head.Length : 0;
    }

    /// <summary>
    /// The request <paramref name="head"/> with a lease on its running instance and the head to send it;
    /// null when the front does not take it.
    /// </summary>
    private TakenRequest? Take(ReadOnlySpan<byte> head, FrontPeer peer)
    {
        if (!FrontRequestHead.TryReadLine(head, out var line))
        {
            return null;
        }

        var written = new HeadBuffer(1024);
        if (!FrontRequestHead.TryWrite(head, line, options.Value.StripPrefix, peer, ref written, out var close)
            || !InstanceId.TryParse(Encoding.ASCII.GetString(line.Id(head)), out var id)
            || instances.TryAcquireRunning(id) is not { } lease)
        {
            written.Dispose();
            return null;
        }

        FrontRequestHead.Finish(lease.Port, ref written);
        return new TakenRequest(head.Length, written, lease, "/" + Encoding.ASCII.GetString(line.Id(head)), line.IsHead, close);
    }

    /// <summary>One exchange with the instance, answered on the client's connection; false when the connection ends after it.</summary>
    private async ValueTask<bool> ExchangeAsync(ConnectionContext client, FrontResponseWriter writer, HeaderDictionary headers, TakenRequest request)
    {
        var aborted = client.ConnectionClosed;
        var port = request.Lease.Port;
        metrics.Forwarded(PoolMetrics.FrontForwarder);
        for (var attempt = 0; ; attempt++)
        {
            RelayConnection instance;
            try
            {
                instance = await connections.RentAsync(port, aborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (aborted.IsCancellationRequested)
            {
                return Failed(request, ForwarderError.RequestCanceled);
            }
            catch (SocketException)
            {
                return await AnswerFailureAsync(writer, request, ForwarderError.Request).ConfigureAwait(false);
            }

            var reusable = false;
            try
            {
                var reused = instance.Reused;
                headers.Clear();
                var sent = await instance.TrySendAsync(request.Head, aborted).ConfigureAwait(false);
                var read = sent ? await ResponseHeadReader.ReadAsync(instance, request.IsHead, headers, aborted).ConfigureAwait(false) : new ReadHead(null, null, true);
                if (read.Head is not { } answer || answer.Status == StatusCodes.Status101SwitchingProtocols)
                {
                    // An idle connection the instance closed just as it was reused: sent again once on a new one.
                    if (reused && read.NothingReceived && attempt == 0 && !aborted.IsCancellationRequested && !instance.TimedOut)
                    {
                        continue;
                    }

                    return aborted.IsCancellationRequested
                        ? Failed(request, ForwarderError.RequestCanceled)
                        : await AnswerFailureAsync(writer, request, instance.TimedOut ? ForwarderError.RequestTimedOut : ForwarderError.Request).ConfigureAwait(false);
                }

                ResponseAddresses.MapIntoPrefix(headers, answer.Status, request.Prefix, port);
                var output = new PipeWriterAdapter(writer);
                if (!FrontAnswer.TryWriteHead(output, answer, read.UnusualReason, headers, request.Close, time))
                {
                    return await AnswerFailureAsync(writer, request, ForwarderError.ResponseHeaders).ConfigureAwait(false);
                }

                writer.Chunked = answer.Framing is BodyFraming.Chunked or BodyFraming.UntilClose;
                var copier = new ResponseBodyCopier(instance, writer, aborted);
                if (!await copier.CopyAsync(answer).ConfigureAwait(false))
                {
                    // The head is out: a client must never see a truncated body as complete.
                    writer.Chunked = false;
                    Failed(request, copier.Failure switch
                    {
                        BodyCopyFailure.Client => ForwarderError.ResponseBodyCanceled,
                        BodyCopyFailure.TimedOut => ForwarderError.RequestTimedOut,
                        _ => ForwarderError.ResponseBodyDestination,
                    });
                    client.Abort(new ConnectionAbortedException("The answer could not be passed on whole."));
                    return false;
                }

                if (writer.Chunked)
                {
                    writer.EndChunks();
                }

                if (writer.HasUnflushed && !await FlushAsync(writer, aborted).ConfigureAwait(false))
                {
                    client.Abort(new ConnectionAbortedException("The client stopped taking the answer."));
                    return false;
                }

                reusable = answer.KeepAlive && answer.Framing != BodyFraming.UntilClose && instance.Start == instance.End;
                return !request.Close;
            }
            finally
            {
                writer.Chunked = false;
                if (reusable)
                {
                    connections.Return(instance);
                }
                else
                {
                    instance.Dispose();
                }
            }
        }
    }

    private static async ValueTask<bool> FlushAsync(FrontResponseWriter writer, CancellationToken aborted)
    {
        try
        {
            var flushed = await writer.FlushAsync(aborted).ConfigureAwait(false);
            return !flushed.IsCanceled && !flushed.IsCompleted;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The instance gave no usable answer: the service's own problem, as the relay answers it (502, or 504 on a timeout).</summary>
    private async ValueTask<bool> AnswerFailureAsync(FrontResponseWriter writer, TakenRequest request, ForwarderError error)
    {
        Failed(request, error);
        var status = error == ForwarderError.RequestTimedOut ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status502BadGateway;
        FrontAnswer.WriteProblem(new PipeWriterAdapter(writer), status, ProblemTypes.Upstream, "The instance did not answer properly",
            $"Forwarding to the instance failed ({error}).", request.Close, request.IsHead, time);
        return await FlushAsync(writer, CancellationToken.None).ConfigureAwait(false) && !request.Close;
    }

    private bool Failed(TakenRequest request, ForwarderError error)
    {
        if (error is ForwarderError.RequestCanceled or ForwarderError.ResponseBodyCanceled)
        {
            Log.ClientWentAway(logger, request.Lease.Slot);
        }
        else
        {
            Log.ForwardFailed(logger, request.Lease.Slot, error);
        }

        metrics.ProxyError(TelemetryNames.ProxyErrorKind(error));
        return false;
    }

    /// <summary>The client's address and transport, or null for a trusted proxy (whose requests all go through the pipeline).</summary>
    private static FrontPeer? PeerOf(ConnectionContext connection, string[] trustedProxies)
    {
        var address = (connection.RemoteEndPoint as IPEndPoint)?.Address;
        if (address is not null && ClientAddress.IsTrustedProxy(trustedProxies, address))
        {
            return null;
        }

        var tls = connection.Features.Get<ITlsConnectionFeature>() is not null;
        return new FrontPeer(address is null ? null : Encoding.ASCII.GetBytes(address.ToString()), tls);
    }

    /// <summary>A request the front took: the head to send, the lease that keeps its instance from being culled meanwhile.</summary>
    private sealed class TakenRequest(int headLength, HeadBuffer head, InstanceLease lease, string prefix, bool isHead, bool close) : IDisposable
    {
        private HeadBuffer _head = head;

        public int HeadLength { get; } = headLength;

        public ReadOnlyMemory<byte> Head => _head.Written;

        public InstanceLease Lease { get; } = lease;

        public string Prefix { get; } = prefix;

        public bool IsHead { get; } = isHead;

        public bool Close { get; } = close;

        public void Dispose() => _head.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1311, Level = LogLevel.Warning, Message = "Forwarding to slot {Slot} failed: {Error}")]
        public static partial void ForwardFailed(ILogger logger, int slot, ForwarderError error);

        [LoggerMessage(EventId = 1312, Level = LogLevel.Debug, Message = "A client of slot {Slot} went away mid-request")]
        public static partial void ClientWentAway(ILogger logger, int slot);
    }
}
