namespace Arc.Sdk;

/// <summary>One class's (or one label's) numbers in a classification or multi-label report.</summary>
/// <param name="Name">The class or label name.</param>
/// <param name="Precision">TP / (TP + FP): of the samples predicted as this class, the fraction that are; 0 when never predicted.</param>
/// <param name="Recall">TP / (TP + FN): of the samples of this class, the fraction found; 0 when it has no samples.</param>
/// <param name="F1">2·TP / (2·TP + FP + FN), the harmonic mean of precision and recall; 0 when both are 0.</param>
/// <param name="Support">Samples that truly are this class (TP + FN).</param>
/// <param name="Predicted">Samples predicted as this class (TP + FP).</param>
public sealed record ClassMetrics(string Name, double Precision, double Recall, double F1, long Support, long Predicted)
{
    /// <summary>Whether the class occurs at all, in the truth or in the predictions; macro averages count only these.</summary>
    public bool Occurs => Support > 0 || Predicted > 0;

    internal static ClassMetrics FromCounts(string name, long truePositives, long falsePositives, long falseNegatives) => new(
        name,
        MetricMath.Ratio(truePositives, truePositives + falsePositives),
        MetricMath.Ratio(truePositives, truePositives + falseNegatives),
        MetricMath.F1(truePositives, falsePositives, falseNegatives),
        truePositives + falseNegatives,
        truePositives + falsePositives);
}
