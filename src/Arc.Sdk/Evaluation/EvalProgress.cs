namespace Arc.Sdk;

/// <summary>How far an evaluation has got; reported after every batch.</summary>
/// <param name="Split">The split being evaluated.</param>
/// <param name="Batches">Batches scored so far.</param>
/// <param name="Samples">Samples scored so far.</param>
/// <param name="TotalSamples">Samples in the whole split.</param>
/// <param name="Elapsed">Time since the evaluation started.</param>
public readonly record struct EvalProgress(DataSplit Split, int Batches, int Samples, int TotalSamples, TimeSpan Elapsed)
{
    /// <summary>Fraction done, 0..1 (1 for an empty split).</summary>
    public double Fraction => TotalSamples == 0 ? 1.0 : (double)Samples / TotalSamples;
}
