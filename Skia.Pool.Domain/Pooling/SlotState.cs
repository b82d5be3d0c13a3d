namespace Skia.Pool.Domain.Pooling;

/// <summary>
/// Free -> Starting -> Running -> Stopping -> Free, and Starting -> Free when a start fails.
/// </summary>
public enum SlotState
{
    Free,
    Starting,
    Running,
    Stopping,
}
