using System.Globalization;
using System.Text;

namespace Skia.Pool.Bench;

/// <summary>
/// Turns a run's results file (the RESULT lines of wrk, this tool and run.sh) into the Markdown tables of
/// docs/BENCHMARKS.md, with each target of issue 6 marked met or missed.
/// </summary>
internal static class Report
{
    private static readonly string[] ProxyRows = ["direct", "pool", "nginx", "chp", "ceiling"];

    private static readonly Dictionary<string, string> RowNames = new(StringComparer.Ordinal)
    {
        ["direct"] = "direct",
        ["pool"] = "Skia.Pool",
        ["nginx"] = "nginx",
        ["chp"] = "configurable-http-proxy",
        ["ceiling"] = "bare .NET sockets (ceiling)",
    };

    public static async Task<int> RunAsync(CommandLine options)
    {
        var lines = ResultLine.ReadAll(options.Text("results")).ToList();
        var text = new StringBuilder();
        Load(text, lines);
        Proxy(text, lines);
        Cold(text, lines);
        Large(text, lines);
        Scale(text, lines);
        await Console.Out.WriteAsync(text.ToString());
        return 0;
    }

    private static void Load(StringBuilder text, List<ResultLine> lines)
    {
        var loads = lines.Where(l => l.Kind == "load").ToList();
        if (loads.Count == 0)
        {
            return;
        }

        text.AppendLine("Load average (1/5/15 min) when each part began: "
            + string.Join("; ", loads.Select(l => $"{l["when"]} {l["load1"]}/{l["load5"]}/{l["load15"]}")) + ".").AppendLine();
    }

    private static void Proxy(StringBuilder text, List<ResultLine> lines)
    {
        var runs = lines.Where(l => l.Kind == "wrk" && l["section"] == "proxy").ToList();
        if (runs.Count == 0)
        {
            return;
        }

        text.AppendLine("### Proxies, same backend instance").AppendLine()
            .AppendLine("req/s: median of the repetitions (lowest–highest). Ratios: median over repetitions of this row's req/s ÷ that row's in the same repetition (lowest–highest). "
                + "Latencies: median of the repetitions' p50 and p99. CPU: the proxy's own user+system CPU per request (from /proc), backend excluded.")
            .AppendLine();
        var targets = new List<string>();
        foreach (var group in runs.GroupBy(r => (Conns: (int)r.Number("conns"), Body: (int)r.Number("body"))).OrderBy(g => g.Key.Body).ThenBy(g => g.Key.Conns))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"**{group.Key.Conns} connections, {Size(group.Key.Body)} body** ({group.Count(r => r["row"] == "direct")} repetitions)").AppendLine()
                .AppendLine("| row | req/s | p50 ms | p99 ms | errors | × direct | × nginx | proxy CPU µs/req |")
                .AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var row in ProxyRows)
            {
                var mine = group.Where(r => r["row"] == row).ToList();
                if (mine.Count == 0)
                {
                    continue;
                }

                var rps = mine.Select(r => r.Number("rps")).ToList();
                var errors = mine.Sum(r => r.Number("connect") + r.Number("read") + r.Number("write") + r.Number("status") + r.Number("timeout"));
                var cpu = CpuPerRequest(mine, row);
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {RowNames[row]} | {Stats.Median(rps):0} ({rps.Min():0}–{rps.Max():0}) | {Stats.Median([.. mine.Select(r => r.Number("p50_us") / 1000)]):0.00} "
                    + $"| {Stats.Median([.. mine.Select(r => r.Number("p99_us") / 1000)]):0.00} | {errors:0} | {Ratio(group, row, "direct")} | {Ratio(group, row, "nginx")} "
                    + $"| {(row == "direct" ? "–" : Stats.Median(cpu).ToString("0", CultureInfo.InvariantCulture))} |");
            }

            text.AppendLine();
            targets.Add(ProxyTargets(group.Key.Conns, group.Key.Body, [.. group]));
        }

        text.AppendLine("Targets (issue 6): Skia.Pool req/s ≥ 1.0× nginx with p99 no worse, and ≥ 5× configurable-http-proxy:").AppendLine();
        foreach (var target in targets)
        {
            text.AppendLine(target);
        }

        text.AppendLine();
    }

    private static string ProxyTargets(int conns, int body, List<ResultLine> group)
    {
        var vsNginx = Ratios(group, "pool", "nginx", "rps");
        var vsChp = Ratios(group, "pool", "chp", "rps");
        var p99 = Ratios(group, "pool", "nginx", "p99_us");
        var parts = new List<string>();
        if (vsNginx.Count > 0)
        {
            parts.Add(Mark(Stats.Median(vsNginx) >= 1.0, $"{Stats.Median(vsNginx):0.00}× nginx"));
            parts.Add(Mark(Stats.Median(p99) <= 1.0, $"p99 {Stats.Median(p99):0.00}× nginx's"));
        }

        if (vsChp.Count > 0)
        {
            parts.Add(Mark(Stats.Median(vsChp) >= 5.0, $"{Stats.Median(vsChp):0.0}× chp"));
        }

        return string.Create(CultureInfo.InvariantCulture, $"- {conns} connections, {Size(body)}: {string.Join(", ", parts)}");
    }

    private static void Cold(StringBuilder text, List<ResultLine> lines)
    {
        if (lines.LastOrDefault(l => l.Kind == "cold") is not { } cold)
        {
            return;
        }

        text.AppendLine("### Cold start").AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"{cold.Number("count"):0} fresh ids, one at a time; each paired with a FakeServe launched directly and asked every 1 ms until it answers.").AppendLine()
            .AppendLine("| | median ms | p95 ms |").AppendLine("|---|---:|---:|")
            .AppendLine(CultureInfo.InvariantCulture, $"| FakeServe alone, launch to first answer | {cold.Number("direct_median_ms"):0.0} | {cold.Number("direct_p95_ms"):0.0} |")
            .AppendLine(CultureInfo.InvariantCulture, $"| through the pool, first request to answer | {cold.Number("pool_median_ms"):0.0} | {cold.Number("pool_p95_ms"):0.0} |")
            .AppendLine(CultureInfo.InvariantCulture, $"| difference per pair (the pool's overhead) | {cold.Number("overhead_median_ms"):0.0} | {cold.Number("overhead_p95_ms"):0.0} |")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"The overhead's median has a 95% interval of {cold.Number("overhead_median_low_ms"):0.0} to {cold.Number("overhead_median_high_ms"):0.0} ms (bootstrap over the pairs): each FakeServe start varies by tens of ms, and the pairs take the difference of two.")
            .AppendLine();
        if (lines.LastOrDefault(l => l.Kind == "cold-phases") is { } phases)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"The service's own account (`skia_pool_instance_start_phase_duration_seconds`, means over its {phases.Number("starts"):0} starts, warm-ups included): launch {phases.Number("launch_mean_ms"):0.0} ms, readiness {phases.Number("readiness_mean_ms"):0.0} ms (FakeServe's boot, the pool's probe lag and the listener check), whole start {phases.Number("start_mean_ms"):0.0} ms."))
                .AppendLine();
        }

        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Target: overhead ≤ 10 ms median: {Mark(cold.Number("overhead_median_ms") <= 10, $"{cold.Number("overhead_median_ms"):0.0} ms")}"))
            .AppendLine();
    }

    private static void Large(StringBuilder text, List<ResultLine> lines)
    {
        if (lines.LastOrDefault(l => l.Kind == "large") is not { } large)
        {
            return;
        }

        var rows = ProxyRows.Where(row => !double.IsNaN(large.Number($"down_{row}_mibps"))).ToList();
        var ratios = LargeRatioKey(large, "down", "pool", "direct") == "down_ratio"
            ? "Ratio: of the medians (lowest–highest of the ratios within each repetition)"
            : "Ratios: median (lowest–highest) over repetitions of this row's MiB/s ÷ that row's in the same repetition";
        text.AppendLine("### Large bodies").AppendLine()
            .AppendLine(string.Create(CultureInfo.InvariantCulture, $"{Size((long)large.Number("bytes"))} each way to the same instance, {large.Number("repeat"):0} repetitions, ")
                + $"the rows ({string.Join(", ", rows.Select(r => RowNames[r]))}) one after the other in each. MiB/s: medians. {ratios}. "
                + "Proxy CPU: the proxy's own user+system CPU seconds per GiB carried (from /proc), median. "
                + "RSS growth: the service's peak VmRSS/VmHWM during the transfer minus VmRSS before it, worst repetition.").AppendLine();
        foreach (var (name, key) in new[] { ("Download (`GET /bytes/N`)", "down"), ("Upload (`POST /echo/upload`)", "up") })
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"**{name}**").AppendLine()
                .AppendLine("| row | MiB/s | × direct | × nginx | proxy CPU s/GiB | service RSS growth MiB |")
                .AppendLine("|---|---:|---:|---:|---:|---:|");
            foreach (var row in rows)
            {
                var cpu = large.Number($"{key}_{row}_cpu_s_per_gib");
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {RowNames[row]} | {large.Number($"{key}_{row}_mibps"):0} | {LargeRatio(large, key, row, "direct")} | {LargeRatio(large, key, row, "nginx")} "
                    + $"| {(double.IsNaN(cpu) ? "–" : cpu.ToString("0.00", CultureInfo.InvariantCulture))} "
                    + $"| {(row == "pool" ? large.Number($"{key}_rss_growth_mib").ToString("0.0", CultureInfo.InvariantCulture) : "–")} |");
            }

            text.AppendLine();
        }

        text.AppendLine("Targets: ≥ 0.8× direct throughput with ≤ 64 MiB RSS growth:").AppendLine();
        foreach (var key in new[] { "down", "up" })
        {
            var ratio = large.Number(LargeRatioKey(large, key, "pool", "direct"));
            var peer = double.IsNaN(large.Number($"{key}_nginx_direct_ratio"))
                ? ""
                : string.Create(CultureInfo.InvariantCulture, $" (nginx: {large.Number($"{key}_nginx_direct_ratio"):0.00}× direct; the pool {large.Number($"{key}_pool_nginx_ratio"):0.00}× nginx)");
            text.AppendLine(CultureInfo.InvariantCulture,
                $"- {(key == "down" ? "download" : "upload")}: {Mark(ratio >= 0.8, $"{ratio:0.00}× direct")}, {Mark(large.Number($"{key}_rss_growth_mib") <= 64, $"+{large.Number($"{key}_rss_growth_mib"):0.0} MiB")}{peer}");
        }

        text.AppendLine();
    }

    /// <summary>
    /// The key of a row's ratio to a baseline (median over repetitions; <c>_min</c> and <c>_max</c> beside it). Results
    /// files from before the peer rows carry only the pool's ratio to direct: <c>down_ratio</c>, of the medians.
    /// </summary>
    private static string LargeRatioKey(ResultLine large, string transfer, string row, string baseline) =>
        double.IsNaN(large.Number($"{transfer}_{row}_{baseline}_ratio")) && row == "pool" && baseline == "direct"
            ? $"{transfer}_ratio"
            : $"{transfer}_{row}_{baseline}_ratio";

    private static string LargeRatio(ResultLine large, string transfer, string row, string baseline)
    {
        var key = LargeRatioKey(large, transfer, row, baseline);
        return row == baseline || double.IsNaN(large.Number(key))
            ? "–"
            : string.Create(CultureInfo.InvariantCulture, $"{large.Number(key):0.00} ({large.Number($"{key}_min"):0.00}–{large.Number($"{key}_max"):0.00})");
    }

    private static void Scale(StringBuilder text, List<ResultLine> lines)
    {
        var runs = lines.Where(l => l.Kind == "wrk" && l["section"] == "scale").ToList();
        var rss = lines.Where(l => l.Kind == "rss").ToList();
        if (runs.Count == 0 && rss.Count == 0)
        {
            return;
        }

        text.AppendLine("### Scale and memory").AppendLine();
        if (runs.Count > 0)
        {
            var instances = runs.Max(r => r.Number("instances"));
            text.AppendLine(CultureInfo.InvariantCulture, $"`GET /{{id}}/bytes/1024` through the pool, wrk calling Lua for every request in both rows: rotating over {instances:0} running instances, or always the same one.").AppendLine()
                .AppendLine("| connections | one instance req/s | spread over all req/s | ratio | p99 ms one / all | service CPU µs/req one / all |").AppendLine("|---:|---:|---:|---:|---:|---:|");
            foreach (var group in runs.GroupBy(r => (int)r.Number("conns")).OrderBy(g => g.Key))
            {
                var one = group.Where(r => r["row"] == "one").Select(r => r.Number("rps")).ToList();
                var all = group.Where(r => r["row"] == "many").Select(r => r.Number("rps")).ToList();
                var ratios = Ratios([.. group], "many", "one", "rps");
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {group.Key} | {Stats.Median(one):0} ({one.Min():0}–{one.Max():0}) | {Stats.Median(all):0} ({all.Min():0}–{all.Max():0}) | {Stats.Median(ratios):0.00} ({ratios.Min():0.00}–{ratios.Max():0.00}) "
                    + $"| {Stats.Median([.. group.Where(r => r["row"] == "one").Select(r => r.Number("p99_us") / 1000)]):0.00} / {Stats.Median([.. group.Where(r => r["row"] == "many").Select(r => r.Number("p99_us") / 1000)]):0.00} "
                    + $"| {Stats.Median(CpuPerRequest(group, "one")):0} / {Stats.Median(CpuPerRequest(group, "many")):0} |");
            }

            text.AppendLine();
        }

        if (rss.Count > 0)
        {
            text.AppendLine("| the service's VmRSS | MiB |").AppendLine("|---|---:|");
            foreach (var line in rss)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"| {line["when"].Replace('-', ' ')} | {line.Number("kib") / 1024:0.0} |");
            }

            text.AppendLine();
            if (rss.FirstOrDefault(l => l["when"] == "idle") is { } idle)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"Target: idle service with {idle["slots"]} slots ≤ 120 MiB RSS: {Mark(idle.Number("kib") / 1024 <= 120, $"{idle.Number("kib") / 1024:0.0} MiB")}").AppendLine();
            }
        }

        if (lines.LastOrDefault(l => l.Kind == "instances-rss") is { } backends)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"The {backends.Number("count"):0} FakeServe instances themselves: {backends.Number("median_kib") / 1024:0.0} MiB RSS each (median), {backends.Number("total_kib") / 1048576:0.00} GiB together.").AppendLine();
        }
    }

    private static List<double> CpuPerRequest(IEnumerable<ResultLine> runs, string row) =>
        [.. runs.Where(r => r["row"] == row).Select(r => r.Number("proxy_cpu_s") * 1e6 / r.Number("requests"))];

    /// <summary>Per repetition: <paramref name="row"/>'s value ÷ <paramref name="baseline"/>'s in the same repetition.</summary>
    private static List<double> Ratios(List<ResultLine> group, string row, string baseline, string key) =>
        [.. group.Where(r => r["row"] == row)
            .Join(group.Where(r => r["row"] == baseline), r => r["rep"], b => b["rep"], (r, b) => r.Number(key) / b.Number(key))];

    private static string Ratio(IEnumerable<ResultLine> group, string row, string baseline)
    {
        var ratios = Ratios([.. group], row, baseline, "rps");
        return ratios.Count == 0 || row == baseline
            ? "–"
            : string.Create(CultureInfo.InvariantCulture, $"{Stats.Median(ratios):0.00} ({ratios.Min():0.00}–{ratios.Max():0.00})");
    }

    private static string Mark(bool met, string what) => met ? $"{what} **met**" : $"{what} **missed**";

    private static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 when bytes % (1L << 30) == 0 => $"{bytes >> 30} GiB",
        >= 1 << 20 when bytes % (1 << 20) == 0 => $"{bytes >> 20} MiB",
        >= 1 << 10 when bytes % (1 << 10) == 0 => $"{bytes >> 10} KiB",
        _ => $"{bytes} B",
    };
}
