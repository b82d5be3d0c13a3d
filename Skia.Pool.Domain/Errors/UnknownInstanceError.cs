using FluentResults;

namespace Skia.Pool.Domain.Errors;

/// <summary>No instance runs for this id (or the id is not an id at all).</summary>
public sealed class UnknownInstanceError() : Error("No instance is running for this id.");
