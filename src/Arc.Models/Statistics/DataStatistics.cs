namespace Arc.Models;

/// <summary>
/// Summary statistics of one split of a dataset, as the Finder compares them (docs/finder.md): per feature (an image,
/// audio or video channel, a numeric table column) its moments and a small histogram, and per class (or label) its
/// count. A model version keeps those of the data it was trained on in its meta.json.
/// </summary>
/// <param name="Samples">Samples summarised.</param>
/// <param name="Features">One entry per feature, in order; empty for inputs Arc has no numeric view of (text).</param>
/// <param name="Classes">Counts per class (<c>ClassData</c>) or per label (<c>LabelData</c>) of the targets; null for other targets.</param>
public sealed record DataStatistics(long Samples, IReadOnlyList<FeatureStatistics> Features, ClassCounts? Classes);

/// <summary>The moments and histogram of one feature over every value it takes in a split (all pixels of a channel, …).</summary>
/// <param name="Name">The feature: <c>channel 0</c>, or a table column's name.</param>
/// <param name="Count">Values summarised.</param>
/// <param name="Mean">Their mean.</param>
/// <param name="Std">Their standard deviation (population).</param>
/// <param name="Min">The smallest value.</param>
/// <param name="Max">The largest value.</param>
/// <param name="Histogram">Counts in equal bins between <see cref="Histogram.Low"/> and <see cref="Histogram.High"/>.</param>
public sealed record FeatureStatistics(string Name, long Count, double Mean, double Std, double Min, double Max, Histogram Histogram);

/// <summary>
/// Counts of values in <see cref="Counts"/>.Count equal bins over [<see cref="Low"/>, <see cref="High"/>] (the last bin
/// closed), plus the values below and above that range. A training split's histogram spans its own minimum and maximum,
/// so its <see cref="Below"/> and <see cref="Above"/> are 0; another split counted on the same bins may have some.
/// </summary>
/// <param name="Low">The lower edge of the first bin.</param>
/// <param name="High">The upper edge of the last bin.</param>
/// <param name="Below">Values below <see cref="Low"/>.</param>
/// <param name="Counts">Values per bin.</param>
/// <param name="Above">Values above <see cref="High"/>.</param>
public sealed record Histogram(double Low, double High, long Below, IReadOnlyList<long> Counts, long Above)
{
    /// <summary>Bins the statistics of a model's training data use.</summary>
    public const int DefaultBins = 16;

    /// <summary>All values counted.</summary>
    public long Total => Below + Above + Counts.Sum();

    /// <summary>The bin of <paramref name="value"/>: -1 below the range, <c>Counts.Count</c> above it.</summary>
    internal static int BinOf(double value, double low, double high, int bins)
    {
        if (value < low) return -1;
        if (value > high) return bins;
        if (high <= low) return 0; // a constant feature: one bin holds it
        int bin = (int)((value - low) / (high - low) * bins);
        return Math.Min(bin, bins - 1);
    }
}

/// <summary>How many samples of a split belong to each class (or carry each label).</summary>
/// <param name="Names">The class or label names, in index order.</param>
/// <param name="Counts">Samples per class or label, in the same order.</param>
public sealed record ClassCounts(IReadOnlyList<string> Names, IReadOnlyList<long> Counts);
