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

    /// <summary>
    /// A 95% interval for the median of <paramref name="values"/>: the 2.5th and 97.5th percentiles of the
    /// medians of 2000 resamples drawn with replacement (a bootstrap), from a fixed seed so a run's report
    /// can be reproduced from its samples. It says how far a median of this many noisy samples can be trusted.
    /// </summary>
    public static (double Low, double High) MedianInterval(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return (double.NaN, double.NaN);
        }

        var random = new Random(20261204);
        var medians = new double[2000];
        var resample = new double[values.Count];
        for (var i = 0; i < medians.Length; i++)
        {
            for (var j = 0; j < resample.Length; j++)
            {
                resample[j] = values[random.Next(values.Count)];
            }

            medians[i] = Median(resample);
        }

        return (Percentile(medians, 2.5), Percentile(medians, 97.5));
    }

    /// <summary>One line of <c>key=value</c> pairs, numbers with three decimals, invariant culture.</summary>
    public static void Result(string kind, params (string Key, double Value)[] pairs) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT {kind} {string.Join(' ', pairs.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}={p.Value:0.###}")))}"));
}
