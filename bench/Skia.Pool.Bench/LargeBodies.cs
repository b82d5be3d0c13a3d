using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Skia.Pool.Bench;

/// <summary>
/// A large download (<c>GET /bytes/{n}</c>) and upload (<c>POST /echo/</c>, which FakeServe hashes as it reads)
/// to one backend: straight to it, through the pool, and through the peers given (nginx, configurable-http-proxy),
/// the rows one after the other in each repetition so a change of the machine's load hits all of them. Each
/// proxy's own CPU is counted during its transfers; the service's resident set is sampled during the pool's.
/// </summary>
internal static class LargeBodies
{
    private const int WarmUpBytes = 64 * 1024 * 1024;
    private const double GiB = 1L << 30;

    private static readonly string[] Peers = ["nginx", "chp"];
    private static readonly string[] Transfers = ["down", "up"];

    public static async Task<int> RunAsync(CommandLine options)
    {
        var pid = (int)options.Number("pid");
        var bytes = options.Number("bytes", 1L << 30);
        var repeat = (int)options.Number("repeat", 3);
        List<Row> rows = [new("direct", options.Url("direct"), []), new("pool", options.Url("pool"), [pid])];
        rows.AddRange(Peers.Where(options.Has).Select(peer => new Row(peer, options.Url(peer), options.Numbers($"{peer}-pids"))));

        using var client = Http.CreateClient(TimeSpan.FromMinutes(10));
        foreach (var row in rows)
        {
            await DownloadAsync(client, row.Root, Math.Min(WarmUpBytes, bytes));
            await UploadAsync(client, row.Root, Math.Min(WarmUpBytes, bytes));
        }

        var growth = Transfers.ToDictionary(t => t, _ => new List<double>());
        for (var r = 0; r < repeat; r++)
        {
            foreach (var transfer in Transfers)
            {
                foreach (var row in rows)
                {
                    Func<Task<double>> run = transfer == "down"
                        ? () => DownloadAsync(client, row.Root, bytes)
                        : () => UploadAsync(client, row.Root, bytes);
                    var cpuBefore = ProcessCpu.Seconds(row.Pids);
                    var mibPerSecond = row.Key == "pool" ? await MeasuredAsync(pid, growth[transfer], run) : await run();
                    row.Add(transfer, mibPerSecond, (ProcessCpu.Seconds(row.Pids) - cpuBefore) / (bytes / GiB));
                }

                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"large {r + 1} {transfer}: {string.Join(", ", rows.Select(row => $"{row.Key} {row.MibPerSecond[transfer][^1]:0} MiB/s"))}"
                    + $" (pool +{growth[transfer][^1]:0.0} MiB)"));
            }
        }

        Stats.Result("large", [("bytes", bytes), ("repeat", repeat), .. Transfers.SelectMany(t => Figures(t, rows, growth[t]))]);
        return 0;
    }

    /// <summary>
    /// The keys of one transfer. The first version's keys (<c>down_direct_mibps</c>, <c>down_pool_mibps</c>,
    /// <c>down_ratio</c> as a ratio of the medians, ...) stay as they were, so reports read old and new files alike;
    /// the new ones are <c>{transfer}_{row}_{baseline}_ratio</c>, the median of the ratios within each repetition.
    /// </summary>
    private static IEnumerable<(string Key, double Value)> Figures(string transfer, List<Row> rows, List<double> growth)
    {
        var direct = rows[0];
        var pool = rows[1];
        var nginx = rows.FirstOrDefault(r => r.Key == "nginx");
        var poolRatios = Ratios(transfer, pool, direct);
        yield return ($"{transfer}_direct_mibps", Stats.Median(direct.MibPerSecond[transfer]));
        yield return ($"{transfer}_pool_mibps", Stats.Median(pool.MibPerSecond[transfer]));
        yield return ($"{transfer}_ratio", Stats.Median(pool.MibPerSecond[transfer]) / Stats.Median(direct.MibPerSecond[transfer]));
        yield return ($"{transfer}_ratio_min", poolRatios.Min());
        yield return ($"{transfer}_ratio_max", poolRatios.Max());
        yield return ($"{transfer}_rss_growth_mib", growth.Max());
        foreach (var row in rows.Skip(1))
        {
            if (row != pool)
            {
                yield return ($"{transfer}_{row.Key}_mibps", Stats.Median(row.MibPerSecond[transfer]));
            }

            yield return ($"{transfer}_{row.Key}_cpu_s_per_gib", Stats.Median(row.CpuSecondsPerGib[transfer]));
        }

        foreach (var (row, baseline) in rows.Skip(1).Select(r => (r, direct))
            .Concat(nginx is null ? [] : rows.Where(r => r != nginx).Select(r => (r, nginx))))
        {
            var ratios = Ratios(transfer, row, baseline);
            yield return ($"{transfer}_{row.Key}_{baseline.Key}_ratio", Stats.Median(ratios));
            yield return ($"{transfer}_{row.Key}_{baseline.Key}_ratio_min", ratios.Min());
            yield return ($"{transfer}_{row.Key}_{baseline.Key}_ratio_max", ratios.Max());
        }
    }

    /// <summary>Per repetition: <paramref name="row"/>'s MiB/s ÷ <paramref name="baseline"/>'s.</summary>
    private static List<double> Ratios(string transfer, Row row, Row baseline) =>
        [.. row.MibPerSecond[transfer].Zip(baseline.MibPerSecond[transfer], (r, b) => r / b)];

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

    /// <summary>One way to reach the backend, the processes whose CPU it costs, and what it measured.</summary>
    private sealed class Row(string key, Uri root, IReadOnlyList<int> pids)
    {
        public string Key { get; } = key;

        public Uri Root { get; } = root;

        public IReadOnlyList<int> Pids { get; } = pids;

        public Dictionary<string, List<double>> MibPerSecond { get; } = Transfers.ToDictionary(t => t, _ => new List<double>());

        public Dictionary<string, List<double>> CpuSecondsPerGib { get; } = Transfers.ToDictionary(t => t, _ => new List<double>());

        public void Add(string transfer, double mibPerSecond, double cpuSecondsPerGib)
        {
            MibPerSecond[transfer].Add(mibPerSecond);
            CpuSecondsPerGib[transfer].Add(cpuSecondsPerGib);
        }
    }
}
