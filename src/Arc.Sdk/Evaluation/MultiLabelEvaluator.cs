using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// The built-in evaluator for <see cref="LabelData"/>. Truth must be multi-hot (each value 0 or 1). A predicted
/// float32 value counts as "label on" when it is at least <see cref="Threshold"/> (so probabilities work as
/// they are); uint8 and bool predictions count as on when non-zero.
/// </summary>
public sealed class MultiLabelEvaluator : IEvaluator<LabelData>
{
    private IReadOnlyList<string>? _labelNames;
    private long[] _truePositives = [];
    private long[] _falsePositives = [];
    private long[] _falseNegatives = [];
    private long _samples;
    private long _exactMatches;

    /// <summary>An evaluator that turns float predictions into on/off at <paramref name="threshold"/>.</summary>
    public MultiLabelEvaluator(double threshold = 0.5)
    {
        if (!double.IsFinite(threshold)) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "the threshold must be a finite number");
        Threshold = threshold;
    }

    /// <summary>Float predictions at or above this value count as positive.</summary>
    public double Threshold { get; }

    /// <inheritdoc />
    public void Accumulate(LabelData predicted, LabelData truth)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(truth);
        if (predicted.Count != truth.Count)
            throw new ArgumentException($"{predicted.Count} predictions for {truth.Count} true samples; a model must predict one label row per input", nameof(predicted));
        if (_labelNames is null)
        {
            _labelNames = truth.LabelNames;
            int k = _labelNames.Count;
            _truePositives = new long[k];
            _falsePositives = new long[k];
            _falseNegatives = new long[k];
        }
        RequireSameNames(truth.LabelNames, "the truth of this batch", nameof(truth));
        RequireSameNames(predicted.LabelNames, "the model's predictions", nameof(predicted));

        bool[] truthOn = TruthCells(truth.Labels);
        bool[] predictedOn = PredictedCells(predicted.Labels);
        int labels = _labelNames.Count;
        for (int row = 0; row < truth.Count; row++)
        {
            bool exact = true;
            for (int label = 0; label < labels; label++)
            {
                int cell = row * labels + label;
                bool t = truthOn[cell], p = predictedOn[cell];
                if (t && p) _truePositives[label]++;
                else if (p) { _falsePositives[label]++; exact = false; }
                else if (t) { _falseNegatives[label]++; exact = false; }
            }
            if (exact) _exactMatches++;
        }
        _samples += truth.Count;
    }

    /// <inheritdoc />
    public IEvalDetail Finish()
        => new MultiLabelMetrics(_labelNames ?? [], _samples, _exactMatches, _truePositives, _falsePositives, _falseNegatives);

    private static bool[] TruthCells(ArcArray labels)
    {
        var on = new bool[labels.Length];
        switch (labels.DType)
        {
            case ArcDType.Float32:
                var floats = labels.AsSpan<float>();
                for (int i = 0; i < floats.Length; i++)
                {
                    if (floats[i] is not (0f or 1f))
                        throw new ArgumentException($"true labels must be multi-hot (0 or 1); found {floats[i]} at cell {i}", "truth");
                    on[i] = floats[i] == 1f;
                }
                break;
            case ArcDType.UInt8 or ArcDType.Bool:
                var bytes = labels.Bytes;
                for (int i = 0; i < bytes.Length; i++)
                {
                    if (bytes[i] > 1)
                        throw new ArgumentException($"true labels must be multi-hot (0 or 1); found {bytes[i]} at cell {i}", "truth");
                    on[i] = bytes[i] == 1;
                }
                break;
            default:
                throw new ArgumentException($"labels of {ArcDTypes.WireName(labels.DType)} are not supported; use float32, uint8 or bool", "truth");
        }
        return on;
    }

    private bool[] PredictedCells(ArcArray labels)
    {
        var on = new bool[labels.Length];
        switch (labels.DType)
        {
            case ArcDType.Float32:
                var floats = labels.AsSpan<float>();
                for (int i = 0; i < floats.Length; i++) on[i] = floats[i] >= Threshold; // NaN compares false: off
                break;
            case ArcDType.UInt8 or ArcDType.Bool:
                var bytes = labels.Bytes;
                for (int i = 0; i < bytes.Length; i++) on[i] = bytes[i] != 0;
                break;
            default:
                throw new ArgumentException($"predicted labels of {ArcDTypes.WireName(labels.DType)} are not supported; use float32, uint8 or bool", "predicted");
        }
        return on;
    }

    private void RequireSameNames(IReadOnlyList<string> names, string what, string parameter)
    {
        if (!names.SequenceEqual(_labelNames!))
            throw new ArgumentException(
                $"{what} name the labels [{string.Join(", ", names)}] but evaluation started with [{string.Join(", ", _labelNames!)}]; " +
                "the model and the job must agree on the label names and their order", parameter);
    }
}
