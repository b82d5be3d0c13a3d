using Skia.Pool.Domain.Instances;

namespace Skia.Pool.Domain.Ports;

/// <summary>Everything a launcher needs to start the process of one slot.</summary>
/// <param name="Id">The owner; only used to fill the <c>{id}</c> placeholder.</param>
/// <param name="SlotIndex">The slot being started.</param>
/// <param name="Generation">The slot generation this start belongs to.</param>
/// <param name="Port">The port the process must listen on.</param>
/// <param name="Display">The X display number for wrappers such as xvfb-run.</param>
/// <param name="Prefix">The public URL prefix, <c>/{id}</c>.</param>
public sealed record LaunchRequest(InstanceId Id, int SlotIndex, long Generation, int Port, int Display, string Prefix);
