using Skia.Pool.Domain.Ports;

namespace Skia.Pool.Infrastructure.Time;

/// <summary><see cref="IClock"/> over a <see cref="TimeProvider"/>, so one fake provider drives the domain, Polly and timers in tests.</summary>
public sealed class SystemClock(TimeProvider timeProvider) : IClock
{
    public DateTimeOffset UtcNow => timeProvider.GetUtcNow();
}
