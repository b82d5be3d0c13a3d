using System.Globalization;

namespace Skia.Pool.Bench;

/// <summary>Order statistics (nearest rank) and the RESULT line format run.sh reads.</summary>
internal static class Stats
{
    public static double Percentile(IReadOnlyCollection<double> values, double percent)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static double Median(IReadOnlyCollection<double> values) => Percentile(values, 50);

    /// <summary>One line of <c>key=value</c> pairs, numbers with three decimals, invariant culture.</summary>
    public static void Result(string kind, params (string Key, double Value)[] pairs) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT {kind} {string.Join(' ', pairs.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}={p.Value:0.###}")))}"));
}
