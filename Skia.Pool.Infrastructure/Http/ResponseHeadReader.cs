using System.Net.Sockets;
using Microsoft.AspNetCore.Http;

namespace Skia.Pool.Infrastructure.Http;

/// <summary>
/// Reads the final response head of an exchange on a <see cref="RelayConnection"/>: interim 1xx answers
/// are skipped (their headers are not the answer's), the head is consumed from the buffer, and what
/// follows it is the start of the body. Shared by the relay and the readiness probe, so the first
/// forwarded request finds the probe's connection exactly as any other exchange leaves one.
/// </summary>
public static class ResponseHeadReader
{
    /// <summary>
    /// The final head, or a 101 (which no relayed request asks for: the caller refuses it). Head is null
    /// when none came whole or it was malformed; <see cref="ReadHead.NothingReceived"/> then tells a
    /// connection that ended before any byte (a stale keep-alive connection) from one that sent garbage.
    /// </summary>
    /// <param name="connection">The connection the request was sent on; its buffer may already hold part of the answer.</param>
    /// <param name="answersHead">True when the request was HEAD: the answer then has no body, whatever it announces.</param>
    /// <param name="headers">Receives the final answer's end-to-end headers.</param>
    /// <param name="cancellationToken">Ends the wait; the head then counts as not received.</param>
    public static async ValueTask<ReadHead> ReadAsync(RelayConnection connection, bool answersHead, IHeaderDictionary headers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(headers);
        var receivedAny = false;
        try
        {
            while (true)
            {
                int end;
                while ((end = ResponseHead.FindEnd(connection.Buffered)) < 0)
                {
                    if (ResponseHead.HasBareLineFeed(connection.Buffered))
                    {
                        return new ReadHead(null, null, false); // malformed, and never whole: refused now
                    }

                    var received = await connection.ReceiveMoreAsync(cancellationToken).ConfigureAwait(false);
                    if (received <= 0)
                    {
                        return new ReadHead(null, null, !receivedAny);
                    }

                    receivedAny = true;
                }

                var head = ResponseHead.Parse(connection.Buffered[..end], answersHead, headers, out _);
                var reason = head is { Status: >= 200 } final ? ResponseHead.UnusualReason(connection.Buffered[..end], final.Status) : null;
                connection.Consume(end);
                if (head is not { } answer)
                {
                    return new ReadHead(null, null, false);
                }

                if (answer.Status >= 200 || answer.Status == StatusCodes.Status101SwitchingProtocols)
                {
                    return new ReadHead(answer, reason, false);
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            return new ReadHead(null, null, !receivedAny);
        }
    }
}

/// <summary>What <see cref="ResponseHeadReader.ReadAsync"/> found.</summary>
/// <param name="Head">The final head; null when none came whole or it was malformed.</param>
/// <param name="UnusualReason">The instance's reason phrase, when it is not the status code's usual one.</param>
/// <param name="NothingReceived">True when the connection ended or failed before any byte of an answer.</param>
public readonly record struct ReadHead(ResponseHead? Head, string? UnusualReason, bool NothingReceived);
