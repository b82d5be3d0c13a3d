using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Skia.Pool.Infrastructure.Processes;

namespace Skia.Pool.Tests.Integration.Support;

/// <summary>
/// The real service, as its own OS process on a loopback port, with real FakeServe instances behind it.
/// Every process it (and its instances) start carries a marker, so disposing it can prove that nothing
/// was left behind — and clean up if something was, failing the test class.
/// </summary>
public sealed class PoolServer : IAsyncLifetime, IAsyncDisposable
{
    private readonly Dictionary<string, string> _settings;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly SemaphoreSlim _sharedGate = new(1, 1);
    private Process? _process;
    private string? _sharedId;

    public PoolServer()
        : this(new Dictionary<string, string>())
    {
    }

    private PoolServer(IDictionary<string, string> settings)
    {
        var block = PortRanges.NextBlock();
        Port = PortRanges.FreePort();
        StateDirectory = Path.Combine(Path.GetTempPath(), "skia-pool-tests", Marker);
        _settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Port}",
            ["Pool__StartPort"] = block.ToString(CultureInfo.InvariantCulture),
            ["Pool__DisplayBase"] = (block - 10_000).ToString(CultureInfo.InvariantCulture), // unique per block, across checkouts too
            ["Pool__StateDirectory"] = StateDirectory,
            ["Pool__MaxInstances"] = "20",
            ["Pool__MinFreeSlots"] = "1",
            ["Pool__StartTimeout"] = "00:00:20",
            ["Pool__StopGracePeriod"] = "00:00:02",
            ["Logging__LogLevel__Default"] = "Information",
            // Tests create instances from one address far faster than a person does; the tests of the
            // limit itself set it back on.
            ["Pool__CreatePerMinutePerClient"] = "0",
        };
        foreach (var (key, value) in settings)
        {
            _settings[key] = value;
        }

        StartPort = int.Parse(_settings["Pool__StartPort"], CultureInfo.InvariantCulture);
        StateDirectory = _settings["Pool__StateDirectory"];
    }

    /// <summary>A server owned by one test (rather than shared through a class fixture), already healthy.</summary>
    public static async Task<PoolServer> StartAsync(IDictionary<string, string>? settings = null)
    {
        var server = new PoolServer(settings ?? new Dictionary<string, string>());
        try
        {
            await server.InitializeAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public string Marker { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Where this server keeps its instance registry (its own, unless a test shares one on purpose).</summary>
    public string StateDirectory { get; }

    public int Port { get; }

    public int StartPort { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public int? Pid => _process?.Id;

    /// <summary>What the service wrote so far (for failure messages).</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>
    /// One instance id shared by the tests of a class fixture that only probe an instance (rather than
    /// stop or count it), so that many such tests do not fill the pool.
    /// </summary>
    public async Task<string> SharedInstanceAsync()
    {
        await _sharedGate.WaitAsync();
        try
        {
            if (_sharedId is null)
            {
                using var client = CreateClient();
                _sharedId = await client.CreateInstanceAsync();
            }

            return _sharedId;
        }
        finally
        {
            _sharedGate.Release();
        }
    }

    /// <summary>A client that shows redirects and cookies as they are, instead of following them.</summary>
    public HttpClient CreateClient() => new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, UseProxy = false })
    {
        BaseAddress = BaseAddress,
        Timeout = TimeSpan.FromSeconds(60),
    };

    /// <summary>Processes this server started that are alive now, the service itself excluded.</summary>
    public IReadOnlyList<int> InstanceProcesses() => [.. MarkedProcesses.Find(Marker).Where(pid => pid != Pid)];

    public async Task InitializeAsync()
    {
        var info = new ProcessStartInfo(RepositoryPaths.ApiExecutable)
        {
            WorkingDirectory = RepositoryPaths.ApiDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in _settings)
        {
            info.Environment[key] = value;
        }

        info.Environment[MarkedProcesses.Variable] = Marker;
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilHealthyAsync();
    }

    /// <summary>SIGTERM, as systemd or an operator would send; waits for the exit.</summary>
    public async Task<int> StopAsync(TimeSpan limit)
    {
        if (_process is null || _process.HasExited)
        {
            return _process?.ExitCode ?? 0;
        }

        Native.Kill(_process.Id, Native.SigTerm);
        using var timeout = new CancellationTokenSource(limit);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: the service gets no chance to clean up.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            Native.Kill(_process.Id, Native.SigKill);
            await _process.WaitForExitAsync();
        }
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    public async Task DisposeAsync()
    {
        try
        {
            await StopAsync(TimeSpan.FromSeconds(30));
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
        }

        var leftovers = MarkedProcesses.Find(Marker);
        MarkedProcesses.KillAll(Marker);
        _process?.Dispose();
        _sharedGate.Dispose();
        if (Directory.Exists(StateDirectory) && StateDirectory.Contains(Marker, StringComparison.Ordinal))
        {
            Directory.Delete(StateDirectory, recursive: true);
        }

        if (leftovers.Count > 0)
        {
            throw new InvalidOperationException(
                $"The service left {leftovers.Count} process(es) behind: {string.Join("; ", leftovers.Select(MarkedProcesses.Describe))}");
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 2000)
        {
            _output.TryDequeue(out _);
        }
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var client = CreateClient();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (_process!.HasExited)
            {
                _process.WaitForExit(); // lets the output readers reach the end of what it wrote
                throw new InvalidOperationException($"The service exited with {_process.ExitCode} at start:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri("healthz", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"The service did not become healthy:\n{Output}");
    }
}
