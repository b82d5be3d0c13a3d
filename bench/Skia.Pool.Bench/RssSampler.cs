using System.Globalization;

namespace Skia.Pool.Bench;

/// <summary>
/// The resident set of one process during a transfer, from <c>/proc/{pid}/status</c>: its VmRSS before, and its
/// peak, as the larger of VmRSS sampled every few milliseconds and VmHWM (the kernel's own high-water mark,
/// reset at the start through <c>/proc/{pid}/clear_refs</c> where we may write it, as root may).
/// </summary>
internal sealed class RssSampler : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(5);

    private readonly int _pid;
    private readonly bool _peakReset;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _maxKib;

    private RssSampler(int pid)
    {
        _pid = pid;
        _peakReset = TryResetPeak(pid);
        BeforeKib = Read(pid, "VmRSS");
        _maxKib = BeforeKib;
        _loop = SampleAsync();
    }

    public long BeforeKib { get; }

    public static RssSampler Start(int pid) => new(pid);

    /// <summary>Stops sampling; returns the peak resident set seen since the start, in KiB.</summary>
    public async Task<long> StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        var peak = Math.Max(_maxKib, Read(_pid, "VmRSS"));
        return _peakReset ? Math.Max(peak, Read(_pid, "VmHWM")) : peak;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    public static long Read(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                // "VmRSS:\t  123456 kB"
                return long.Parse(line.AsSpan(field.Length + 1).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"/proc/{pid}/status has no {field}");
    }

    private static bool TryResetPeak(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5"); // 5: reset the peak resident set size
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(Interval, TimeProvider.System);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                _maxKib = Math.Max(_maxKib, Read(_pid, "VmRSS"));
            }
        }
        catch (OperationCanceledException)
        {
            // stopped
        }
    }
}
