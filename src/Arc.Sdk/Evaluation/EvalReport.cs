namespace Arc;

/// <summary>The result of evaluating one model on one split of one job.</summary>
public class EvalReport
{
    /// <summary>The model's name.</summary>
    public required string Model { get; init; }

    /// <summary>The job's name.</summary>
    public required string Job { get; init; }

    /// <summary>The split evaluated.</summary>
    public DataSplit Split { get; init; }

    /// <summary>Samples evaluated.</summary>
    public int Samples { get; init; }

    /// <summary>Headline metrics by name, e.g. <c>accuracy</c>.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();
}
