using FluentResults;

namespace Skia.Pool.Domain.Errors;

/// <summary>The process kept running but did not answer HTTP within <c>Pool:StartTimeout</c>.</summary>
public sealed class NotReadyError(TimeSpan timeout)
    : Error($"The instance did not answer HTTP within {timeout.TotalSeconds:0.###} s (Pool:StartTimeout).")
{
    public TimeSpan Timeout { get; } = timeout;
}
