using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Skia.Pool.Api.Contracts;

namespace Skia.Pool.Api.Pages;

/// <summary>
/// The admin page: the table of the Skia original (id, uptime, port) plus slot, state, pid, last use and
/// memory, with stop and restart buttons. The rows are rendered here only; the page's script
/// (<c>/admin/admin.js</c>, served by the service) fetches fresh rows from <c>/admin/rows</c> every few
/// seconds and sends the buttons' requests, so nothing is downloaded from anywhere else.
/// </summary>
internal static class AdminPage
{
    public static string Render(IReadOnlyList<InstanceView> instances, DateTimeOffset now) => $$"""
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>Skia.Pool admin</title>
          <noscript><meta http-equiv="refresh" content="5"></noscript>
          <style>
            body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; }
            table { border-collapse: collapse; font-size: .9rem; }
            th, td { padding: .3rem .6rem; border-bottom: 1px solid #ddd; text-align: left; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; }
            code { font-size: .85rem; }
            #status { color: #666; font-size: .85rem; }
          </style>
          <script src="/admin/admin.js" defer></script>
        </head>
        <body>
          <h1>Skia.Pool admin</h1>
          <p id="status">Refreshes every 2 seconds.</p>
          <table id="instances">
            <thead>
              <tr><th>id</th><th>slot</th><th>state</th><th>pid</th><th>port</th><th>uptime</th><th>last used</th><th>memory</th><th>in flight</th><th></th></tr>
            </thead>
            <tbody id="rows">
        {{Rows(instances, now)}}
            </tbody>
          </table>
          <p><a href="/">Home</a> · <a href="/scalar">API reference</a> · <a href="/metrics">Metrics</a></p>
        </body>
        </html>
        """;

    /// <summary>The table's rows alone: what the page's script swaps in on each refresh.</summary>
    public static string Rows(IReadOnlyList<InstanceView> instances, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(instances);
        if (instances.Count == 0)
        {
            return """<tr><td colspan="10" id="empty">No instance is running.</td></tr>""";
        }

        var html = new StringBuilder();
        foreach (var i in instances)
        {
            var id = i.Id is null ? "" : HtmlEncoder.Default.Encode(i.Id);
            var actions = i.Id is null
                ? ""
                : $"""<button type="button" data-action="restart" data-id="{id}">Restart</button> <button type="button" data-action="stop" data-id="{id}">Stop</button>""";
            html.Append(CultureInfo.InvariantCulture, $"""
                <tr data-id="{id}"><td>{(i.Id is null ? "(port held by another process)" : $"<a href=\"/{id}/\"><code>{id}</code></a>")}</td><td class="num">{i.Slot}</td><td class="state">{i.State}</td><td class="num pid">{i.Pid}</td><td class="num">{i.Port}</td><td class="num">{Duration(i.UptimeSeconds)}</td><td class="num">{Ago(i, now)}</td><td class="num">{Memory(i.RssBytes)}</td><td class="num">{i.InFlight}</td><td>{actions}</td></tr>

                """);
        }

        return html.ToString();
    }

    internal static string Duration(double? seconds)
    {
        if (seconds is not { } s)
        {
            return "";
        }

        var t = TimeSpan.FromSeconds(Math.Floor(s));
        return t.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}h {t.Minutes:00}m {t.Seconds:00}s")
            : t.TotalMinutes >= 1
                ? string.Create(CultureInfo.InvariantCulture, $"{t.Minutes}m {t.Seconds:00}s")
                : string.Create(CultureInfo.InvariantCulture, $"{t.Seconds}s");
    }

    internal static string Memory(long? bytes) =>
        bytes is { } b ? string.Create(CultureInfo.InvariantCulture, $"{b / (1024.0 * 1024.0):0.0} MiB") : "";

    private static string Ago(InstanceView i, DateTimeOffset now) =>
        i.Id is null ? "" : Duration(Math.Max(0, now.ToUnixTimeSeconds() - i.LastUsed)) + " ago";
}
