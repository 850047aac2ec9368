namespace Arc.Bench;

/// <summary>How long each measured case runs: quick mode proves the benchmarks work, full mode gives steadier numbers.</summary>
public sealed record BenchOptions(bool Quick)
{
    /// <summary>Measuring time per case (after warm-up).</summary>
    public TimeSpan CaseDuration => Quick ? TimeSpan.FromSeconds(0.3) : TimeSpan.FromSeconds(2);
}
