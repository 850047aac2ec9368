using System.Globalization;
using System.Text;
using Arc.Types;

namespace Arc.Sdk;

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

    /// <summary>Headline metrics by name, e.g. <c>accuracy</c> (the evaluator's <see cref="IEvalDetail.Headline"/>).</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>Where the model ran, e.g. <c>cpu</c> or <c>cuda:0</c>; <c>unknown</c> when the model does not say (see <see cref="IDeviceInfo"/>).</summary>
    public string Device { get; init; } = "unknown";

    /// <summary>Wall-clock time of the evaluation: streaming, predicting and scoring.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Everything the evaluator measured, typed; see <see cref="Classification"/> and <see cref="MultiLabel"/>.</summary>
    public IEvalDetail? Detail { get; init; }

    /// <summary>The classification metrics, when the targets were <see cref="Arc.Types.ClassData"/>.</summary>
    public ClassificationMetrics? Classification => Detail as ClassificationMetrics;

    /// <summary>The multi-label metrics, when the targets were <see cref="Arc.Types.LabelData"/>.</summary>
    public MultiLabelMetrics? MultiLabel => Detail as MultiLabelMetrics;

    /// <summary>The regression metrics when the targets are tensors or a table (<see cref="RegressionEvaluator{Y}"/>), else null.</summary>
    public RegressionMetrics? Regression => Detail as RegressionMetrics;

    /// <summary>A headline metric by name.</summary>
    /// <exception cref="KeyNotFoundException">No such metric; the message lists those there are.</exception>
    public double Metric(string name) => Metrics.TryGetValue(name, out var value)
        ? value
        : throw new KeyNotFoundException($"the report has no metric '{name}'; it has: {string.Join(", ", Metrics.Keys)}");

    /// <summary>A readable report: one summary line, the headline metrics, then the evaluator's detail (tables).</summary>
    public string Format()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"model={Model} job={Job} split={Split.ToString().ToLowerInvariant()} samples={Samples} device={Device} duration={Duration.TotalSeconds:0.00}s");
        text.AppendLine();
        if (Metrics.Count > 0)
            text.AppendLine(string.Join("  ", Metrics.Select(m => $"{m.Key}={TextTable.Number(m.Value)}")));
        if (Detail is not null)
        {
            text.AppendLine();
            text.Append(Detail.Format());
        }
        return text.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => Format();
}
