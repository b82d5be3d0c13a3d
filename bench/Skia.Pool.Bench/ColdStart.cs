using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Skia.Pool.Bench;

/// <summary>
/// The pool's cold-start overhead: for each of N fresh ids, the time from a first request to its answer
/// through the pool, paired with FakeServe's own time from launch to its first answer on a port nobody
/// else probes. The difference is what the pool adds (launching, readiness probing, the listener check,
/// forwarding). Rounds alternate which of the two goes first, so a drift of the machine's load hits both.
/// </summary>
internal static class ColdStart
{
    /// <summary>How often the direct measurement asks a starting FakeServe: a refused connect costs microseconds.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(1);

    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(20);

    public static async Task<int> RunAsync(CommandLine options)
    {
        var pool = options.Url("pool");
        var fakeServe = options.Text("fakeserve");
        var firstPort = (int)options.Number("direct-port");
        var count = (int)options.Number("count", 50);
        var warmup = (int)options.Number("warmup", 2);
        var childEnvironment = options.Pairs("child-env");

        using var client = Http.CreateClient(GiveUpAfter);
        await client.GetOkAsync(new Uri(pool, "healthz")); // the client's own first-call costs are not the pool's

        List<double> direct = [], pooled = [], overhead = [];
        for (var i = 0; i < warmup + count; i++)
        {
            var port = firstPort + i;
            double directMs, pooledMs;
            if (i % 2 == 0)
            {
                directMs = await DirectAsync(client, fakeServe, port, childEnvironment);
                pooledMs = await PooledAsync(client, pool);
            }
            else
            {
                pooledMs = await PooledAsync(client, pool);
                directMs = await DirectAsync(client, fakeServe, port, childEnvironment);
            }

            var counted = i >= warmup;
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"cold {(counted ? (i - warmup + 1).ToString(CultureInfo.InvariantCulture) : "warm-up")}: direct {directMs:0.0} ms, pool {pooledMs:0.0} ms"));
            if (counted)
            {
                direct.Add(directMs);
                pooled.Add(pooledMs);
                overhead.Add(pooledMs - directMs);
                Stats.Result("cold-sample", ("direct_ms", directMs), ("pool_ms", pooledMs));
            }
        }

        var (low, high) = Stats.MedianInterval(overhead);
        Stats.Result("cold",
            ("count", count),
            ("direct_median_ms", Stats.Median(direct)), ("direct_p95_ms", Stats.Percentile(direct, 95)),
            ("pool_median_ms", Stats.Median(pooled)), ("pool_p95_ms", Stats.Percentile(pooled, 95)),
            ("overhead_median_ms", Stats.Median(overhead)), ("overhead_p95_ms", Stats.Percentile(overhead, 95)),
            ("overhead_median_low_ms", low), ("overhead_median_high_ms", high));
        return 0;
    }

    private static async Task<double> PooledAsync(HttpClient client, Uri pool)
    {
        var url = new Uri(pool, $"{Guid.NewGuid()}/");
        var start = Stopwatch.GetTimestamp();
        await client.GetOkAsync(url);
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    /// <summary>
    /// Launches FakeServe as the pool would (same arguments, and the environment the pool gives its instances)
    /// and asks it every millisecond until it answers.
    /// </summary>
    private static async Task<double> DirectAsync(HttpClient client, string fakeServe, int port, IReadOnlyList<KeyValuePair<string, string>> environment)
    {
        var info = new ProcessStartInfo(fakeServe)
        {
            ArgumentList = { "--port", port.ToString(CultureInfo.InvariantCulture), "--source", "", "--hosted" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var url = new Uri($"http://127.0.0.1:{port}/");
        var start = Stopwatch.GetTimestamp();
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fakeServe}");
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            while (true)
            {
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, url) { Version = HttpVersion.Version11 };
                    request.Headers.ConnectionClose = true; // each probe is a fresh connect, as the pool's are
                    using var response = await client.SendAsync(request);
                    await response.Content.ReadAsByteArrayAsync();
                    return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                }
                catch (HttpRequestException) when (!process.HasExited && Stopwatch.GetElapsedTime(start) < GiveUpAfter)
                {
                    await Task.Delay(PollInterval, TimeProvider.System);
                }
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
