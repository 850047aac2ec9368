namespace Arc.Sdk;

/// <summary>Macro and support-weighted averages over per-class numbers.</summary>
internal static class Averages
{
    /// <summary>
    /// Unweighted mean over the classes that occur (in the truth or the predictions). A class that appears in neither
    /// says nothing about the model, so it neither helps nor hurts; with no such class at all the mean is 0.
    /// </summary>
    public static double Macro(IReadOnlyList<ClassMetrics> classes, Func<ClassMetrics, double> metric)
    {
        double sum = 0;
        int count = 0;
        foreach (var c in classes)
        {
            if (!c.Occurs) continue;
            sum += metric(c);
            count++;
        }
        return count == 0 ? 0.0 : sum / count;
    }

    /// <summary>Mean weighted by support (true samples per class); 0 when there is no support at all.</summary>
    public static double Weighted(IReadOnlyList<ClassMetrics> classes, Func<ClassMetrics, double> metric)
    {
        double sum = 0;
        long support = 0;
        foreach (var c in classes)
        {
            sum += metric(c) * c.Support;
            support += c.Support;
        }
        return support == 0 ? 0.0 : sum / support;
    }
}
