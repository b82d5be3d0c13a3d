using System.Globalization;

namespace Skia.Pool.FakeServe;

/// <summary>
/// The command line: skiaserve's own arguments (so the production argument list works unchanged)
/// plus switches that make FakeServe misbehave on purpose for tests.
/// </summary>
internal sealed record FakeServeOptions
{
    public const string Usage = """
        usage: Skia.Pool.FakeServe --port N [--source S] [--hosted]
                                   [--listen-delay-ms N] [--never-listen]
                                   [--exit-after-ms N [--exit-code C]]
                                   [--ignore-sigterm] [--stderr-lines N] [--base-path /P] [--hang]
                                   [--ipv6-only] [--keep-alive-ms N] [--raw-http [--raw-root CASE]]
          --port N             listen on http://127.0.0.1:N (required, 1-65535)
          --source S, --hosted accepted and ignored, as skiaserve's own arguments
          --listen-delay-ms N  wait N ms before listening
          --never-listen       start but never listen; stay alive until stopped
          --exit-after-ms N    exit N ms after start (0: before listening)
          --exit-code C        exit code for --exit-after-ms (0-255, default 1)
          --ignore-sigterm     ignore SIGTERM and SIGINT; only SIGKILL ends the process
          --stderr-lines N     write N numbered lines to stderr at start
          --base-path /P       serve under /P (as a backend told its public prefix does)
          --hang               listen and accept, but never answer any request
          --ipv6-only          listen on [::1] only (as a server told "localhost" may), not 127.0.0.1
          --keep-alive-ms N    close a connection idle for N ms (Kestrel's default is 130 s)
          --raw-http           no Kestrel: hand-written answers, malformed ones at /raw/{case}
          --raw-root CASE      with --raw-http: answer / as /raw/CASE does (what a readiness probe meets)
        """;

    public int Port { get; init; }

    /// <summary>Where FakeServe listens: loopback only, the pool is the one way in.</summary>
    public string Url => Ipv6Only ? $"http://[::1]:{Port}" : $"http://127.0.0.1:{Port}";

    /// <summary>Listen on the IPv6 loopback only, where the pool (which connects to 127.0.0.1) cannot reach it.</summary>
    public bool Ipv6Only { get; init; }

    public TimeSpan ListenDelay { get; init; }

    public bool NeverListen { get; init; }

    public TimeSpan? ExitAfter { get; init; }

    public int ExitCode { get; init; } = 1;

    public bool IgnoreSigterm { get; init; }

    public int StderrLines { get; init; }

    public bool ShowHelp { get; init; }

    /// <summary>Accept connections and requests but never answer: a backend wedged after binding.</summary>
    public bool Hang { get; init; }

    /// <summary>Answer with hand-written bytes instead of Kestrel (<see cref="RawHttpServer"/>).</summary>
    public bool RawHttp { get; init; }

    /// <summary>With <see cref="RawHttp"/>: the <c>/raw/{case}</c> whose answer <c>/</c> gets; null: <c>200 ok</c>.</summary>
    public string? RawRoot { get; init; }

    /// <summary>How long an idle keep-alive connection stays open; null: Kestrel's default.</summary>
    public TimeSpan? KeepAlive { get; init; }

    /// <summary>The public prefix this instance serves under (empty: the root), for a pool in base-URL mode.</summary>
    public string BasePath { get; init; } = "";

    /// <summary>Parses <paramref name="args"/>; on failure returns null and says why in <paramref name="error"/>.</summary>
    public static FakeServeOptions? TryParse(IReadOnlyList<string> args, out string error)
    {
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            var takesValue = TakesValue(name);
            string value;
            if (takesValue is null)
            {
                error = $"unknown argument '{name}'";
                return null;
            }
            else if (takesValue.Value)
            {
                if (i + 1 == args.Count)
                {
                    error = $"{name} needs a value";
                    return null;
                }

                // No check for a leading "--": skiaserve's `--source ""` passes an empty value, and a
                // number that is really the next switch fails to parse with a clear message anyway.
                value = args[++i];
            }
            else
            {
                value = "";
            }

            if (!given.TryAdd(name, value))
            {
                error = $"{name} is given twice";
                return null;
            }
        }

        if (given.ContainsKey("--help") || given.ContainsKey("-h"))
        {
            error = "";
            return new FakeServeOptions { ShowHelp = true };
        }

        if (!TryNumber(given, "--port", 1, 65535, out var port, out error)
            || !TryNumber(given, "--listen-delay-ms", 0, int.MaxValue, out var listenDelayMs, out error)
            || !TryNumber(given, "--exit-after-ms", 0, int.MaxValue, out var exitAfterMs, out error)
            || !TryNumber(given, "--exit-code", 0, 255, out var exitCode, out error)
            || !TryNumber(given, "--stderr-lines", 0, int.MaxValue, out var stderrLines, out error)
            || !TryNumber(given, "--keep-alive-ms", 1, int.MaxValue, out var keepAliveMs, out error))
        {
            return null;
        }

        if (port is null)
        {
            error = "--port N is required";
            return null;
        }

        var basePath = given.GetValueOrDefault("--base-path", "");
        if (basePath.Length > 0 && (!basePath.StartsWith('/') || basePath.EndsWith('/')))
        {
            error = "--base-path must start with / and not end with /";
            return null;
        }

        if (exitCode is not null && exitAfterMs is null)
        {
            error = "--exit-code only takes effect with --exit-after-ms";
            return null;
        }

        return new FakeServeOptions
        {
            Port = port.Value,
            ListenDelay = TimeSpan.FromMilliseconds(listenDelayMs ?? 0),
            NeverListen = given.ContainsKey("--never-listen"),
            ExitAfter = exitAfterMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
            ExitCode = exitCode ?? 1,
            IgnoreSigterm = given.ContainsKey("--ignore-sigterm"),
            StderrLines = stderrLines ?? 0,
            BasePath = basePath,
            Hang = given.ContainsKey("--hang"),
            Ipv6Only = given.ContainsKey("--ipv6-only"),
            RawHttp = given.ContainsKey("--raw-http"),
            RawRoot = given.TryGetValue("--raw-root", out var rawRoot) ? "/raw/" + rawRoot : null,
            KeepAlive = keepAliveMs is { } idleMs ? TimeSpan.FromMilliseconds(idleMs) : null,
        };
    }

    /// <summary>True for switches followed by a value, false for bare switches, null for unknown ones.</summary>
    private static bool? TakesValue(string name) => name switch
    {
        "--port" or "--source" or "--listen-delay-ms" or "--exit-after-ms" or "--exit-code" or "--stderr-lines" or "--base-path" or "--keep-alive-ms" or "--raw-root" => true,
        "--hosted" or "--never-listen" or "--ignore-sigterm" or "--hang" or "--ipv6-only" or "--raw-http" or "--help" or "-h" => false,
        _ => null,
    };

    private static bool TryNumber(
        Dictionary<string, string> given, string name, int min, int max, out int? value, out string error)
    {
        value = null;
        error = "";
        if (!given.TryGetValue(name, out var text))
        {
            return true;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || number < min || number > max)
        {
            error = $"{name} needs a whole number from {min} to {max}, got '{text}'";
            return false;
        }

        value = number;
        return true;
    }
}
