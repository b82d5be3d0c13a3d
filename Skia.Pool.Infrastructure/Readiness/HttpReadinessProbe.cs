using System.Globalization;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;
using FluentResults;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using Skia.Pool.Domain;
using Skia.Pool.Domain.Errors;
using Skia.Pool.Domain.Ports;
using Skia.Pool.Infrastructure.Http;
using Skia.Pool.Infrastructure.Processes;

namespace Skia.Pool.Infrastructure.Readiness;

/// <summary>
/// Waits until an instance answers HTTP on <c>http://127.0.0.1:{port}/</c>: any status counts. A Polly
/// pipeline retries with pauses growing from 1 ms to <c>Pool:ReadinessMaxDelay</c>; each probe has its
/// own timeout (a socket that accepts but never answers cannot stall the start); the whole wait is
/// bounded by the start timeout and ends at once when the process exits. Each probe connects first:
/// while nothing listens, a refused connect (reported as a value, not thrown) is all it costs, so probes
/// can be a millisecond or two apart and the wait ends within milliseconds of the instance's first answer.
/// The probe asks <c>GET /</c> over a relay connection (<see cref="InstanceConnections"/>) and keeps it,
/// so the first forwarded request finds an open connection to the instance instead of making one.
/// </summary>
public sealed class HttpReadinessProbe : IReadinessProbe
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan MaxProbeTimeout = TimeSpan.FromSeconds(1);

    /// <summary>A longer answer is not read to its end to keep the connection (HttpClient's default drain limit).</summary>
    private const long MaxDrained = 1024 * 1024;

    /// <summary>"HTTP/1.1 200": enough of an answer to know it is HTTP.</summary>
    private const int StatusLineLength = 12;

    private readonly ResiliencePipeline<bool> _pipeline;
    private readonly TimeProvider _time;
    private readonly TimeSpan _perProbe;
    private readonly InstanceConnections _connections;

    public HttpReadinessProbe(IOptions<PoolOptions> options, TimeProvider time, InstanceConnections connections)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(connections);
        _perProbe = options.Value.StartTimeout < MaxProbeTimeout ? options.Value.StartTimeout : MaxProbeTimeout;
        _pipeline = new ResiliencePipelineBuilder<bool> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<bool>
            {
                ShouldHandle = new PredicateBuilder<bool>()
                    .Handle<SocketException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(ready => !ready),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                Delay = FirstDelay,
                MaxDelay = options.Value.ReadinessMaxDelay,
            })
            .AddTimeout(_perProbe)
            .Build();
        _time = time;
        _connections = connections;
    }

    public async Task<Result> WaitUntilReadyAsync(int port, IProcessHandle process, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(process);
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var exited = new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token, exited.Token);
        _ = process.Exited.ContinueWith(_ => exited.Cancel(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        // Whatever a pooled connection to this port leads to, it is not the process just started (a
        // stranger that answered an earlier probe, a leftover of an earlier instance): none may be reused.
        _connections.CloseConnections(port);
        Result? ready = null;
        try
        {
            ready = await ProbeAsync(port, process, timeout, linked.Token, cancellationToken).ConfigureAwait(false);
            return ready;
        }
        finally
        {
            if (ready is not { IsSuccess: true })
            {
                _connections.CloseConnections(port); // what answered this start's probes may not be the instance
            }
        }
    }

    private async Task<Result> ProbeAsync(
        int port, IProcessHandle process, TimeSpan timeout, CancellationToken probing, CancellationToken cancellationToken)
    {
        try
        {
            await _pipeline.ExecuteAsync(static async (state, token) => await state.Probe.ProbeOnceAsync(state.Port, token).ConfigureAwait(false),
                (Probe: this, Port: port), probing).ConfigureAwait(false);

            // Something answered; it must be the process just started, not a stranger on the same port.
            if (process is OsProcessHandle os)
            {
                var kept = _connections.LocalPortsTo(port);
                var (ownsListener, holdsConnections) = os.CheckSockets(port, kept);
                if (!ownsListener)
                {
                    return Result.Fail(new PortInUseError(port));
                }

                // The probe's connection stays pooled for the first forwarded request, so it too must lead
                // to the instance: a stranger that answered the probe and then gave the port up (the
                // instance bound it after) passes the listener check, but keeps that connection.
                if (kept.Count > 0 && !holdsConnections)
                {
                    _connections.CloseConnections(port);
                }
            }

            return Result.Ok();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A process that died because something else took its port between the check and its bind
            // is the port's fault, not the backend's: the manager then tries another slot.
            return process.Exited.IsCompleted
                ? Result.Fail(PortCheck.IsFree(port) ? new StartFailedError("The instance process exited before it answered HTTP.") : new PortInUseError(port))
                : Result.Fail(new NotReadyError(timeout));
        }
    }

    private async ValueTask<bool> ProbeOnceAsync(int port, CancellationToken token)
    {
        if (await _connections.TryConnectAsync(port, token).ConfigureAwait(false) is not { } connection)
        {
            return false; // nothing listens yet: the common case while an instance boots
        }

        var answered = false;
        try
        {
            await connection.SendAsync(RequestHead(port), token).ConfigureAwait(false);
            while (connection.End - connection.Start < StatusLineLength)
            {
                if (await connection.ReceiveMoreAsync(token).ConfigureAwait(false) <= 0)
                {
                    return false; // closed before a status line: asked again
                }
            }

            // Any status counts, and any way of writing the rest of the head (bare LF, bytes beyond ASCII):
            // the instance speaks HTTP. Only whether the connection is kept depends on the strict parser.
            answered = ResponseHead.StartsWithStatusLine(connection.Buffered);
            return answered;
        }
        finally
        {
            if (answered)
            {
                _ = DrainAndKeepAsync(connection);
            }
            else
            {
                connection.Dispose();
            }
        }
    }

    /// <summary>
    /// Gives the probe's connection to the pool when its answer ended cleanly, where the relay would leave
    /// one: read by the strict parser, the whole body read and nothing beyond it. An answer already received
    /// whole (FakeServe's, and most pages) is settled before this returns, since nothing in it then waits,
    /// so the first forwarded request finds the connection; the rest is read in the background, within the
    /// probe's timeout, and never delays the start.
    /// </summary>
    private async Task DrainAndKeepAsync(RelayConnection connection)
    {
        var keep = false;
        try
        {
            using var deadline = new CancellationTokenSource(_perProbe, _time);
            var read = await ResponseHeadReader.ReadAsync(connection, answersHead: false, new HeaderDictionary(), deadline.Token).ConfigureAwait(false);
            keep = read.Head is { } answer && answer.KeepAlive && answer.Status != StatusCodes.Status101SwitchingProtocols && IsDrainable(answer)
                && await DrainAsync(connection, answer, deadline.Token).ConfigureAwait(false)
                && connection.Start == connection.End;
        }
#pragma warning disable CA1031 // A connection that cannot be settled is simply not kept.
        catch (Exception)
#pragma warning restore CA1031
        {
            // Not kept: disposed below.
        }
        finally
        {
            if (keep)
            {
                _connections.Return(connection);
            }
            else
            {
                connection.Dispose();
            }
        }
    }

    private static bool IsDrainable(ResponseHead answer) => answer.Framing switch
    {
        BodyFraming.None or BodyFraming.Chunked => true, // a chunked page is read within the probe's timeout, or the connection goes
        BodyFraming.ContentLength => answer.ContentLength <= MaxDrained,
        _ => false, // until the instance closes: the connection ends with the body
    };

    private static async ValueTask<bool> DrainAsync(RelayConnection connection, ResponseHead answer, CancellationToken token)
    {
        var discard = PipeWriter.Create(Stream.Null);
        try
        {
            return await new ResponseBodyCopier(connection, discard, token).CopyAsync(answer).ConfigureAwait(false);
        }
        finally
        {
            await discard.CompleteAsync().ConfigureAwait(false);
        }
    }

    private static byte[] RequestHead(int port) =>
        Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"));
}
