namespace Skia.Pool.FakeServe;

/// <summary>
/// <c>GET /slow/{chunks}</c> writes one 1 KiB chunk every 100 ms; <c>GET /slow-stats</c> counts how those
/// streams ended. A proxy that passes on a client's disconnect makes "aborted" grow promptly.
/// </summary>
internal static class SlowStreamEndpoints
{
    private const int ChunkBytes = 1024;
    private static readonly TimeSpan ChunkInterval = TimeSpan.FromMilliseconds(100);
    private static int _started;
    private static int _aborted;
    private static int _completed;

    public static IEndpointRouteBuilder MapSlowStreamEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/slow/{chunks:int}", StreamSlowlyAsync);
        app.MapGet("/slow-stats", () => TypedResults.Ok(new SlowStreamStats(
            Volatile.Read(ref _started), Volatile.Read(ref _aborted), Volatile.Read(ref _completed))));
        return app;
    }

    private static async Task StreamSlowlyAsync(int chunks, HttpResponse response, CancellationToken aborted)
    {
        Interlocked.Increment(ref _started);
        response.ContentType = "application/octet-stream";
        var chunk = new byte[ChunkBytes];
        Array.Fill(chunk, (byte)'s');
        try
        {
            for (var i = 0; i < chunks; i++)
            {
                await response.Body.WriteAsync(chunk, aborted);
                await response.Body.FlushAsync(aborted);
                await Task.Delay(ChunkInterval, aborted);
            }

            Interlocked.Increment(ref _completed);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Increment(ref _aborted);
        }
        catch (IOException)
        {
            Interlocked.Increment(ref _aborted);
        }
    }
}
