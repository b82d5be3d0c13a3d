using System.Diagnostics;

namespace Skia.Pool.Bench;

/// <summary>Starts N fresh instances through the pool (a first request each, a few at a time) and writes their ids to a file.</summary>
internal static class Spawn
{
    public static async Task<int> RunAsync(CommandLine options)
    {
        var pool = options.Url("pool");
        var count = (int)options.Number("count");
        var output = options.Text("out");
        var parallel = (int)options.Number("parallel", 4);

        using var client = Http.CreateClient(TimeSpan.FromSeconds(30));
        var ids = Enumerable.Range(0, count).Select(_ => Guid.NewGuid().ToString()).ToArray();
        var start = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = parallel },
            async (id, cancellationToken) => await client.GetOkAsync(new Uri(pool, $"{id}/bytes/1"), cancellationToken));
        await File.WriteAllLinesAsync(output, ids);
        Stats.Result("spawn", ("count", count), ("seconds", Stopwatch.GetElapsedTime(start).TotalSeconds));
        return 0;
    }
}
