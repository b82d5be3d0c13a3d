namespace Skia.Pool.Domain.Pooling;

/// <summary>Why an instance stopped; the values are stable because metrics and logs carry them.</summary>
public enum StopReason
{
    CullLru,
    Idle,
    MaxAge,
    Evicted,
    Restart,
    Exit,
    Shutdown,
    Admin,
    StartFailed,
}
