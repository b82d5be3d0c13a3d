using System.Diagnostics;

namespace Skia.Pool.Bench;

/// <summary>
/// Starts N fresh instances through the pool (a first request each, a few at a time), then sends each of them
/// <c>--warm</c> more requests, and writes their ids to a file. A FakeServe is a JIT too: spread over 100
/// instances, a short load leaves every one of them compiling its first requests, and a measurement then
/// shows the backends' warm-up on two cores, not the pool.
/// </summary>
internal static class Spawn
{
    public static async Task<int> RunAsync(CommandLine options)
    {
        var pool = options.Url("pool");
        var count = (int)options.Number("count");
        var output = options.Text("out");
        var parallel = (int)options.Number("parallel", 4);
        var warm = (int)options.Number("warm", 0);
        var path = options.Text("warm-path", "bytes/1024");

        using var client = Http.CreateClient(TimeSpan.FromSeconds(30));
        var ids = Enumerable.Range(0, count).Select(_ => Guid.NewGuid().ToString()).ToArray();
        var start = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = parallel },
            async (id, cancellationToken) => await client.GetOkAsync(new Uri(pool, $"{id}/bytes/1"), cancellationToken));
        var started = Stopwatch.GetElapsedTime(start).TotalSeconds;
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (id, cancellationToken) =>
        {
            for (var i = 0; i < warm; i++)
            {
                await client.GetOkAsync(new Uri(pool, $"{id}/{path}"), cancellationToken);
            }
        });
        await File.WriteAllLinesAsync(output, ids);
        Stats.Result("spawn", ("count", count), ("start_seconds", started), ("warm_requests", warm),
            ("seconds", Stopwatch.GetElapsedTime(start).TotalSeconds));
        return 0;
    }
}
