namespace Skia.Pool.Domain.Ports;

/// <summary>The one source of "now" for the domain, so tests drive time instead of waiting for it.</summary>
public interface IClock
{
    DateTimeOffset UtcNow { get; }
}
