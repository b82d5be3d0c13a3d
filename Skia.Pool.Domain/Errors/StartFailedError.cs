using FluentResults;

namespace Skia.Pool.Domain.Errors;

/// <summary>The instance process could not be started, or exited before it answered HTTP.</summary>
public sealed class StartFailedError(string message, int? exitCode = null, IReadOnlyList<string>? errorLines = null)
    : Error(message)
{
    public int? ExitCode { get; } = exitCode;

    /// <summary>The last lines the process wrote to stderr, for the operator and the user.</summary>
    public IReadOnlyList<string> ErrorLines { get; } = errorLines ?? [];
}
