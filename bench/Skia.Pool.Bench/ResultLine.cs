using System.Globalization;

namespace Skia.Pool.Bench;

/// <summary>One <c>RESULT kind key=value ...</c> line of a run's results file.</summary>
internal sealed record ResultLine(string Kind, IReadOnlyDictionary<string, string> Values)
{
    public static IEnumerable<ResultLine> ReadAll(string path) =>
        File.ReadLines(path)
            .Where(line => line.StartsWith("RESULT ", StringComparison.Ordinal))
            .Select(Parse);

    public string this[string key] => Values.TryGetValue(key, out var value) ? value : "";

    public double Number(string key) =>
        Values.TryGetValue(key, out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : double.NaN;

    private static ResultLine Parse(string line)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in parts.Skip(2))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                values[pair[..equals]] = pair[(equals + 1)..];
            }
        }

        return new ResultLine(parts[1], values);
    }
}
