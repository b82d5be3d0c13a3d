using System.Globalization;
using Skia.Pool.Domain;
using Skia.Pool.Domain.Ports;

namespace Skia.Pool.Infrastructure.Processes;

/// <summary>
/// Turns <c>Pool:Command</c> and <c>Pool:Arguments</c> into the command for one instance.
/// Placeholders: <c>{port}</c>, <c>{display}</c>, <c>{id}</c>, <c>{prefix}</c>, <c>{appBase}</c>.
/// An empty command means the FakeServe stand-in built beside the service.
/// </summary>
public static class CommandTemplate
{
    public const string FakeServeName = "Skia.Pool.FakeServe";

    /// <summary>The arguments skiaserve takes in production; FakeServe accepts the same.</summary>
    public static readonly IReadOnlyList<string> SkiaServeArguments = ["--port", "{port}", "--source", "", "--hosted"];

    /// <summary>The command and argument templates in force, with the FakeServe default filled in.</summary>
    public static (string Command, IReadOnlyList<string> Arguments) Resolve(PoolOptions options, string appBase)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.Command))
        {
            return (options.Command, options.Arguments);
        }

        var arguments = options.Arguments.Length > 0 ? options.Arguments : SkiaServeArguments;
        return (Path.Combine(appBase, FakeServeName), arguments);
    }

    /// <summary>
    /// Where the configured command would be executed from (FakeServe when none is configured), or null
    /// when it is not found. Only <c>{appBase}</c> is filled: the others do not belong in a program's path.
    /// </summary>
    public static string? FindConfiguredExecutable(PoolOptions options, string appBase)
    {
        ArgumentNullException.ThrowIfNull(appBase);
        var (command, _) = Resolve(options, appBase);
        return FindExecutable(command.Replace("{appBase}", appBase.TrimEnd('/'), StringComparison.Ordinal));
    }

    /// <summary>Where <paramref name="command"/> would be executed from: itself if it names a path, else the first match on PATH.</summary>
    public static string? FindExecutable(string command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(command) ? Path.GetFullPath(command) : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, command))
            .FirstOrDefault(File.Exists);
    }

    internal static CommandLine Expand(PoolOptions options, LaunchRequest request, string appBase)
    {
        var (command, arguments) = Resolve(options, appBase);
        return new CommandLine(
            Fill(command, request, appBase),
            [.. arguments.Select(a => Fill(a, request, appBase))],
            string.IsNullOrWhiteSpace(options.WorkingDirectory) ? null : Fill(options.WorkingDirectory, request, appBase),
            options.Environment.ToDictionary(e => e.Key, e => Fill(e.Value, request, appBase)));
    }

    internal static string Fill(string template, LaunchRequest request, string appBase) => template
        .Replace("{port}", request.Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{display}", request.Display.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{id}", request.Id.ToString(), StringComparison.Ordinal)
        .Replace("{prefix}", request.Prefix, StringComparison.Ordinal)
        .Replace("{appBase}", appBase.TrimEnd('/'), StringComparison.Ordinal);
}
