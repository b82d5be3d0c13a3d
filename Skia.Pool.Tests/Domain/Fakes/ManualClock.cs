using Skia.Pool.Domain.Ports;

namespace Skia.Pool.Tests.Domain.Fakes;

/// <summary>An <see cref="IClock"/> that moves only when the test says so.</summary>
public sealed class ManualClock : IClock
{
    public static readonly DateTimeOffset Start = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly Lock _lock = new();
    private DateTimeOffset _now = Start;

    public DateTimeOffset UtcNow
    {
        get
        {
            lock (_lock)
            {
                return _now;
            }
        }
    }

    public DateTimeOffset Advance(TimeSpan by)
    {
        lock (_lock)
        {
            _now += by;
            return _now;
        }
    }
}
