using System.Net;
using System.Net.Sockets;
using FluentResults;
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
/// bounded by the start timeout and ends at once when the process exits. Each probe first only
/// connects: while nothing listens, a refused connect is all it costs, so probes can be a few
/// milliseconds apart and the wait ends within milliseconds of the instance's first answer.
/// </summary>
public sealed class HttpReadinessProbe : IReadinessProbe, IDisposable
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan MaxProbeTimeout = TimeSpan.FromSeconds(1);

    private readonly HttpClient _client;
    private readonly ResiliencePipeline<bool> _pipeline;
    private readonly TimeProvider _time;
    private readonly InstanceConnections _connections;

    public HttpReadinessProbe(IOptions<PoolOptions> options, TimeProvider time, InstanceConnections connections)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(connections);
        _client = connections.CreateClient(); // the pipeline's timeout governs
        var perProbe = options.Value.StartTimeout < MaxProbeTimeout ? options.Value.StartTimeout : MaxProbeTimeout;
        _pipeline = new ResiliencePipelineBuilder<bool> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<bool>
            {
                ShouldHandle = new PredicateBuilder<bool>()
                    .Handle<SocketException>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(ready => !ready),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                Delay = FirstDelay,
                MaxDelay = options.Value.ReadinessMaxDelay,
            })
            .AddTimeout(perProbe)
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
        var endpoint = new IPEndPoint(IPAddress.Loopback, port);
        var uri = new Uri($"http://127.0.0.1:{port}/");

        // Whatever a pooled connection to this port leads to, it is not the process just started (a
        // stranger that answered an earlier probe, a leftover of an earlier instance): none may be reused.
        _connections.CloseConnections(port);
        Result? ready = null;
        try
        {
            ready = await ProbeAsync(port, process, timeout, endpoint, uri, linked.Token, cancellationToken).ConfigureAwait(false);
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

    public void Dispose() => _client.Dispose();

    private async Task<Result> ProbeAsync(
        int port, IProcessHandle process, TimeSpan timeout, IPEndPoint endpoint, Uri uri, CancellationToken probing, CancellationToken cancellationToken)
    {
        try
        {
            await _pipeline.ExecuteAsync(static async (state, token) => await state.Probe.ProbeOnceAsync(state.Endpoint, state.Uri, token).ConfigureAwait(false),
                (Probe: this, Endpoint: endpoint, Uri: uri), probing).ConfigureAwait(false);

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

    private async ValueTask<bool> ProbeOnceAsync(IPEndPoint endpoint, Uri uri, CancellationToken token)
    {
        // Refused, this throws one SocketException; the same refusal through HttpClient costs several times
        // that in CPU (its connection pool, a wrapping exception, more frames to unwind), 200 times a second.
        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await socket.ConnectAsync(endpoint, token).ConfigureAwait(false);
        }

        // Kept alive: the first forwarded request reuses this connection (InstanceConnections says why).
        using var request = new HttpRequestMessage(HttpMethod.Get, uri) { Version = HttpVersion.Version11 };
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
        return true;
    }
}
