using System.Globalization;

namespace Skia.Pool.Tests.Integration.Support;

/// <summary>Reads single samples out of a Prometheus text exposition, by metric name and a subset of its labels.</summary>
internal static class PrometheusText
{
    /// <summary>
    /// The value of the one sample named <paramref name="name"/> whose labels include every one of
    /// <paramref name="labels"/> (<c>outcome="started"</c> form); null when there is none.
    /// </summary>
    public static double? Sample(string exposition, string name, params string[] labels)
    {
        var matches = exposition.Split('\n')
            .Where(line => line.StartsWith(name + "{", StringComparison.Ordinal) || line.StartsWith(name + " ", StringComparison.Ordinal))
            .Where(line => labels.All(label => LabelsOf(line).Contains(label)))
            .ToList();
        matches.Count.Should().BeLessThanOrEqualTo(1, $"one sample of {name} {string.Join(',', labels)} is expected:\n{string.Join('\n', matches)}");
        return matches.Count == 0
            ? null
            : double.Parse(matches[0][(matches[0].LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }

    private static string[] LabelsOf(string line)
    {
        var open = line.IndexOf('{', StringComparison.Ordinal);
        var close = line.LastIndexOf('}');
        return open < 0 || close < open ? [] : line[(open + 1)..close].Split(',');
    }
}
