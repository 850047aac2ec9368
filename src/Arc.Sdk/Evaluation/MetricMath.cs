namespace Arc.Sdk;

/// <summary>
/// The ratios every metric is built from, with one convention stated once: a ratio whose denominator is zero
/// is 0 (so a class never predicted has precision 0, a class never present has recall 0, and an empty split
/// has accuracy 0). scikit-learn's <c>zero_division=0</c> gives the same numbers.
/// </summary>
internal static class MetricMath
{
    /// <summary><paramref name="numerator"/> / <paramref name="denominator"/>, or 0 when the denominator is 0.</summary>
    public static double Ratio(long numerator, long denominator) => denominator == 0 ? 0.0 : (double)numerator / denominator;

    /// <summary>
    /// F1 from counts as 2·TP / (2·TP + FP + FN): the harmonic mean of precision and recall, computed from integers
    /// so that it is exact and needs no special case when precision and recall are both 0.
    /// </summary>
    public static double F1(long truePositives, long falsePositives, long falseNegatives)
        => Ratio(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives);
}
