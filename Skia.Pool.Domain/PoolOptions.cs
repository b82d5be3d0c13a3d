using System.ComponentModel.DataAnnotations;

namespace Skia.Pool.Domain;

/// <summary>
/// The <c>Pool</c> configuration section. Every key is documented in docs/configuration.md;
/// rules that span two keys live in the API's validator so its message can quote both values.
/// </summary>
public sealed class PoolOptions
{
    public const string SectionName = "Pool";

    /// <summary>Slots in the pool. Default 200.</summary>
    [Range(1, 10_000)]
    public int MaxInstances { get; set; } = 200;

    /// <summary>Culling stops least-recently-used instances until this many slots are free. Default 10.</summary>
    [Range(0, 10_000)]
    public int MinFreeSlots { get; set; } = 10;

    /// <summary>Slot i listens on <c>StartPort + i</c>. Default 30000.</summary>
    [Range(1024, 65_535)]
    public int StartPort { get; set; } = 30_000;

    /// <summary>Slot i gets X display <c>DisplayBase + i</c>. Default 100.</summary>
    [Range(0, 60_000)]
    public int DisplayBase { get; set; } = 100;

    /// <summary>
    /// The program to start for an instance. Empty means the FakeServe stand-in built beside the service.
    /// May contain <c>{appBase}</c>, the folder the service runs from.
    /// </summary>
    public string Command { get; set; } = "";

    /// <summary>Arguments; each may contain <c>{port}</c>, <c>{display}</c>, <c>{id}</c>, <c>{prefix}</c>, <c>{appBase}</c>.</summary>
    public string[] Arguments { get; set; } = [];

    /// <summary>Working directory for instances; empty means the service's own.</summary>
    public string WorkingDirectory { get; set; } = "";

    /// <summary>Extra environment variables for instances (each value may use the placeholders).</summary>
    public Dictionary<string, string> Environment { get; set; } = [];

    /// <summary>Launch plus readiness must finish within this. Default 5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest pause between two readiness probes. Default 2 ms: a probe is a connect, refused without an exception until something listens.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:10")]
    public TimeSpan ReadinessMaxDelay { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Time between SIGTERM and SIGKILL when stopping an instance. Default 2 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan StopGracePeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often culling runs. Default 1 min.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan CullInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Optional: stop instances unused for longer than this.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "365.00:00:00")]
    public TimeSpan? IdleTimeout { get; set; }

    /// <summary>Optional: stop instances running for longer than this.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "365.00:00:00")]
    public TimeSpan? MaxAge { get; set; }

    /// <summary>A full pool may evict the least recently used instance once it has been idle this long. Default 1 min.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan EvictAfterIdle { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many instances may be starting at once; the rest queue. Default: twice the processor count.</summary>
    [Range(1, 1_000)]
    public int MaxConcurrentStarts { get; set; } = 2 * System.Environment.ProcessorCount;

    /// <summary>
    /// True (default): the instance sees paths without the <c>/{id}</c> prefix. False: base-URL mode, for
    /// backends told their prefix (through <c>{prefix}</c> in the arguments) that serve under it.
    /// </summary>
    public bool StripPrefix { get; set; } = true;

    /// <summary>
    /// True (default): plain HTTP/1.1 requests (no upgrade, no <c>Expect</c>) are forwarded by the
    /// service's own relay, at a fraction of YARP's cost per request; the rest go through YARP. False:
    /// everything goes through YARP. docs/proxy.md says what each path does.
    /// </summary>
    public bool Relay { get; set; } = true;

    /// <summary>
    /// True (default, with <see cref="Relay"/>): the simplest requests to a running instance (GET or HEAD,
    /// HTTP/1.1, no body, plain headers) are read and forwarded straight off the connection, before
    /// Kestrel's HTTP server and ASP.NET Core see them; everything else goes the usual way. False: every
    /// request goes through Kestrel. docs/proxy.md says what the front takes.
    /// </summary>
    public bool Front { get; set; } = true;

    /// <summary>
    /// Addresses of reverse proxies in front of the service whose X-Forwarded-For/-Proto/-Host are
    /// believed (the client address is appended to theirs). Empty (default): whatever a client sends in
    /// those headers is replaced.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>
    /// How long a client's connection may sit idle between requests before the service closes it (Kestrel's
    /// and the front's alike). Default 2 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Uploads above this many bytes get 413. Default 1 GiB.</summary>
    [Range(0, long.MaxValue)]
    public long MaxRequestBodyBytes { get; set; } = 1L << 30;

    /// <summary>
    /// Where the service remembers the instance processes it launched, so that after being killed it can
    /// stop what it left behind. Empty means a folder under the system temp directory. The file is
    /// named after <see cref="StartPort"/>, so services with different port ranges never share one.
    /// </summary>
    public string StateDirectory { get; set; } = "";

    /// <summary>New instances (<c>POST /instanceNew</c>) one client address may create per minute; 0 turns the limit off. Default 30.</summary>
    [Range(0, 1_000_000)]
    public int CreatePerMinutePerClient { get; set; } = 30;

    /// <summary>Instances one client address may have running at once; 0 (the default) means no cap.</summary>
    [Range(0, 10_000)]
    public int MaxInstancesPerClient { get; set; }

    /// <summary>When set, admin routes need <c>Authorization: Bearer</c> with this token; when unset they answer loopback clients only.</summary>
    public string? AdminToken { get; set; }

    /// <summary>
    /// True: ASP.NET Core's and HttpClient's per-request metrics (<c>http.server.*</c>, <c>http.client.*</c>)
    /// are collected too. Off by default: on every proxied request they cost about 7% of the service's CPU,
    /// and the pool's own metrics already count what goes wrong.
    /// </summary>
    public bool HttpMetrics { get; set; }

    /// <summary>Port of slot <paramref name="index"/>.</summary>
    public int PortOf(int index) => StartPort + index;

    /// <summary>X display of slot <paramref name="index"/>.</summary>
    public int DisplayOf(int index) => DisplayBase + index;
}
