using System.Collections.Generic;
using System.Linq;
using Arc.Datasets;
using Arc.Types;

namespace Samples.Processing;

/// <summary>Scales numbers in a text to a fitted range; the class names are fitted too.</summary>
[Processor(Name = "scaler")]
public sealed partial class Scaler : DatasetProcessor<IReadOnlyList<string>, IReadOnlyList<string>, TextData, ClassData, Scaler.Fitted>
{
    /// <summary>Creates the processor.</summary>
    public Scaler(double margin = 0.5, string unit = "m", int[]? buckets = null)
    {
        Margin = margin;
        Unit = unit;
        Buckets = buckets;
    }

    /// <summary>The margin.</summary>
    public double Margin { get; }

    /// <summary>The unit.</summary>
    public string Unit { get; }

    /// <summary>The buckets.</summary>
    public int[]? Buckets { get; }

    /// <summary>The fitted state.</summary>
    /// <param name="Low">The smallest value.</param>
    /// <param name="High">The largest value.</param>
    /// <param name="ClassNames">The classes.</param>
    public sealed record Fitted(double Low, double High, IReadOnlyList<string> ClassNames);

    /// <inheritdoc />
    protected override Fitted FitState(IReadOnlyList<string> inputs, IReadOnlyList<string> targets)
        => new(0, inputs.Count, targets.Distinct().Order().ToArray());

    /// <inheritdoc />
    public override TextData ProcessInputs(IReadOnlyList<string> inputs) => new(inputs.Select(t => t + Unit).ToArray());

    /// <inheritdoc />
    public override ClassData ProcessTargets(IReadOnlyList<string> targets)
        => new(targets.Select(t => (long)State.ClassNames.ToList().IndexOf(t)).ToArray(), State.ClassNames);
}
