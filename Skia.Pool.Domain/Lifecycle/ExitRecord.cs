namespace Skia.Pool.Domain.Lifecycle;

/// <summary>How an instance's last process ended by itself, kept so its user can read why it is gone.</summary>
public sealed record ExitRecord(int ExitCode, DateTimeOffset At);
