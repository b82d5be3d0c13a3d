using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Skia.Pool.Bench;

/// <summary>
/// A large download (<c>GET /bytes/{n}</c>) and upload (<c>POST /echo/</c>, which FakeServe hashes as it reads)
/// straight to a backend and through the pool, alternating, repeated; the service's resident set is sampled
/// during each transfer through the pool.
/// </summary>
internal static class LargeBodies
{
    private const int WarmUpBytes = 64 * 1024 * 1024;

    public static async Task<int> RunAsync(CommandLine options)
    {
        var pool = options.Url("pool");
        var direct = options.Url("direct");
        var pid = (int)options.Number("pid");
        var bytes = options.Number("bytes", 1L << 30);
        var repeat = (int)options.Number("repeat", 3);

        using var client = Http.CreateClient(TimeSpan.FromMinutes(10));
        foreach (var target in new[] { direct, pool })
        {
            await DownloadAsync(client, target, WarmUpBytes);
            await UploadAsync(client, target, WarmUpBytes);
        }

        List<double> downDirect = [], downPool = [], upDirect = [], upPool = [];
        List<double> downGrowth = [], upGrowth = [];
        for (var r = 0; r < repeat; r++)
        {
            downDirect.Add(await DownloadAsync(client, direct, bytes));
            downPool.Add(await MeasuredAsync(pid, downGrowth, () => DownloadAsync(client, pool, bytes)));
            upDirect.Add(await UploadAsync(client, direct, bytes));
            upPool.Add(await MeasuredAsync(pid, upGrowth, () => UploadAsync(client, pool, bytes)));
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"large {r + 1}: down direct {downDirect[^1]:0} MiB/s pool {downPool[^1]:0} MiB/s (+{downGrowth[^1]:0.0} MiB), "
                + $"up direct {upDirect[^1]:0} MiB/s pool {upPool[^1]:0} MiB/s (+{upGrowth[^1]:0.0} MiB)"));
        }

        Stats.Result("large",
            ("bytes", bytes), ("repeat", repeat),
            ("down_direct_mibps", Stats.Median(downDirect)), ("down_pool_mibps", Stats.Median(downPool)),
            ("down_ratio", Stats.Median(downPool) / Stats.Median(downDirect)),
            ("down_ratio_min", downPool.Zip(downDirect, (p, d) => p / d).Min()),
            ("down_ratio_max", downPool.Zip(downDirect, (p, d) => p / d).Max()),
            ("down_rss_growth_mib", downGrowth.Max()),
            ("up_direct_mibps", Stats.Median(upDirect)), ("up_pool_mibps", Stats.Median(upPool)),
            ("up_ratio", Stats.Median(upPool) / Stats.Median(upDirect)),
            ("up_ratio_min", upPool.Zip(upDirect, (p, d) => p / d).Min()),
            ("up_ratio_max", upPool.Zip(upDirect, (p, d) => p / d).Max()),
            ("up_rss_growth_mib", upGrowth.Max()));
        return 0;
    }

    /// <summary>Runs a transfer through the pool while sampling the service; adds its peak growth in MiB.</summary>
    private static async Task<double> MeasuredAsync(int pid, List<double> growth, Func<Task<double>> transfer)
    {
        await using var sampler = RssSampler.Start(pid);
        var mibPerSecond = await transfer();
        growth.Add((await sampler.StopAsync() - sampler.BeforeKib) / 1024.0);
        return mibPerSecond;
    }

    /// <summary>Returns MiB/s.</summary>
    private static async Task<double> DownloadAsync(HttpClient client, Uri root, long bytes)
    {
        var start = Stopwatch.GetTimestamp();
        using var response = await client.GetAsync(new Uri(root, $"bytes/{bytes}"), HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[1024 * 1024];
        long received = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            received += read;
        }

        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return received == bytes
            ? bytes / 1048576.0 / seconds
            : throw new InvalidOperationException($"GET {root}bytes/{bytes} gave {received} bytes");
    }

    /// <summary>Returns MiB/s; checks that the backend counted every byte.</summary>
    private static async Task<double> UploadAsync(HttpClient client, Uri root, long bytes)
    {
        var start = Stopwatch.GetTimestamp();
        using var content = new PatternContent(bytes);
        content.Headers.ContentType = new("application/octet-stream");
        using var response = await client.PostAsync(new Uri(root, "echo/upload"), content);
        var json = await response.Content.ReadAsStringAsync();
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        response.EnsureSuccessStatusCode();
        using var echo = JsonDocument.Parse(json);
        var counted = echo.RootElement.GetProperty("bodyBytes").GetInt64();
        return counted == bytes
            ? bytes / 1048576.0 / seconds
            : throw new InvalidOperationException($"POST {root}echo/upload: the backend counted {counted} of {bytes} bytes");
    }
}
