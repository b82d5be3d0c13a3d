using System.Globalization;

namespace Skia.Pool.Bench;

/// <summary><c>--name value</c> pairs, read with typed getters that name the switch when a value is missing or bad.</summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, string> _values;

    private CommandLine(Dictionary<string, string> values) => _values = values;

    public static CommandLine? TryParse(IReadOnlyList<string> args, out string error)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 == args.Count)
            {
                error = $"expected '--name value', got '{args[i]}'";
                return null;
            }

            values[args[i][2..]] = args[i + 1];
        }

        error = "";
        return new CommandLine(values);
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public string Text(string name, string? fallback = null) =>
        _values.TryGetValue(name, out var value) ? value : fallback ?? throw new ArgumentException($"--{name} is required");

    public Uri Url(string name) =>
        Uri.TryCreate(Text(name).TrimEnd('/') + "/", UriKind.Absolute, out var uri)
            ? uri
            : throw new ArgumentException($"--{name} needs an absolute URL, got '{Text(name)}'");

    /// <summary>Space-separated <c>NAME=value</c> pairs, in order; none when the switch is absent.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Pairs(string name)
    {
        if (!_values.TryGetValue(name, out var text))
        {
            return [];
        }

        return [.. text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(pair => pair.IndexOf('=', StringComparison.Ordinal) is > 0 and var at
            ? new KeyValuePair<string, string>(pair[..at], pair[(at + 1)..])
            : throw new ArgumentException($"--{name} needs NAME=value pairs, got '{pair}'"))];
    }

    /// <summary>Space-separated whole numbers (such as pids); none when the switch is absent.</summary>
    public IReadOnlyList<int> Numbers(string name) =>
        [.. Text(name, "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(text =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                ? number
                : throw new ArgumentException($"--{name} needs whole numbers separated by spaces, got '{text}'"))];

    public long Number(string name, long? fallback = null)
    {
        if (!_values.TryGetValue(name, out var text))
        {
            return fallback ?? throw new ArgumentException($"--{name} is required");
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new ArgumentException($"--{name} needs a whole number, got '{text}'");
    }
}
