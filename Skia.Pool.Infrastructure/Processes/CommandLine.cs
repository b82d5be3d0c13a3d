namespace Skia.Pool.Infrastructure.Processes;

/// <summary>A fully expanded command: what is executed for one instance.</summary>
internal sealed record CommandLine(
    string FileName,
    IReadOnlyList<string> Arguments,
    string? WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment);
