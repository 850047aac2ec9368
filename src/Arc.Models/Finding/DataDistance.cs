namespace Arc.Models;

/// <summary>
/// How far a job's data is from a model's training data (docs/finder.md, "The distance"): three terms, each a
/// Hellinger distance in [0, 1] (0: the same distribution, 1: no overlap), averaged over the features, and their mean.
/// </summary>
/// <param name="Total">The mean of the terms that could be computed; NaN when none could (no numeric features, no classes).</param>
/// <param name="Histogram">Between the features' histograms (the job's counted on the model's bins, with the values outside them as two more bins); NaN without features.</param>
/// <param name="Moments">Between normal distributions with each feature's mean and standard deviation; NaN without features.</param>
/// <param name="Classes">Between the class (or label) proportions; NaN when the targets are not classes or labels.</param>
public sealed record DataDistance(double Total, double Histogram, double Moments, double Classes)
{
    /// <summary>Compares <paramref name="job"/>'s statistics (its histograms on the model's bins) with <paramref name="model"/>'s.</summary>
    internal static DataDistance Between(DataStatistics model, DataStatistics job)
    {
        int features = Math.Min(model.Features.Count, job.Features.Count);
        double histogram = double.NaN, moments = double.NaN, classes = double.NaN;
        if (features > 0)
        {
            histogram = Enumerable.Range(0, features).Average(f => HistogramDistance(model.Features[f].Histogram, job.Features[f].Histogram));
            moments = Enumerable.Range(0, features).Average(f => GaussianDistance(model.Features[f], job.Features[f]));
        }
        if (model.Classes is { } m && job.Classes is { } j && m.Counts.Count == j.Counts.Count && m.Counts.Count > 0)
            classes = Hellinger(m.Counts.Select(c => (double)c).ToArray(), j.Counts.Select(c => (double)c).ToArray());
        double[] terms = [.. new[] { histogram, moments, classes }.Where(t => !double.IsNaN(t))];
        return new DataDistance(terms.Length == 0 ? double.NaN : terms.Average(), histogram, moments, classes);
    }

    /// <summary>Bins below, inside and above the range, as proportions of each histogram's total.</summary>
    private static double HistogramDistance(Histogram model, Histogram job)
    {
        double[] p = [model.Below, .. model.Counts.Select(c => (double)c), model.Above];
        double[] q = [job.Below, .. job.Counts.Select(c => (double)c), job.Above];
        return p.Length == q.Length ? Hellinger(p, q) : 1;
    }

    /// <summary>The Hellinger distance between two discrete distributions given as counts: sqrt(1 − Σ sqrt(p·q)).</summary>
    internal static double Hellinger(IReadOnlyList<double> pCounts, IReadOnlyList<double> qCounts)
    {
        double pTotal = pCounts.Sum(), qTotal = qCounts.Sum();
        if (pTotal <= 0 || qTotal <= 0) return pTotal == qTotal ? 0 : 1;
        double overlap = 0;
        for (int i = 0; i < pCounts.Count; i++) overlap += Math.Sqrt(pCounts[i] / pTotal * (qCounts[i] / qTotal));
        return Math.Sqrt(Math.Max(0, 1 - overlap));
    }

    /// <summary>
    /// The Hellinger distance between N(μ1, σ1²) and N(μ2, σ2²):
    /// H² = 1 − sqrt(2σ1σ2 / (σ1² + σ2²)) · exp(−(μ1 − μ2)² / (4(σ1² + σ2²))).
    /// </summary>
    internal static double GaussianDistance(FeatureStatistics a, FeatureStatistics b)
    {
        double v = a.Std * a.Std + b.Std * b.Std;
        if (v <= 0) return a.Mean == b.Mean ? 0 : 1; // two constants
        double delta = a.Mean - b.Mean;
        double affinity = Math.Sqrt(2 * a.Std * b.Std / v) * Math.Exp(-delta * delta / (4 * v));
        return Math.Sqrt(Math.Max(0, 1 - affinity));
    }
}
