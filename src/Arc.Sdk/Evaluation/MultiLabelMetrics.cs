using System.Text;

namespace Arc.Sdk;

/// <summary>
/// Multi-label metrics from per-label true/false positive and false negative counts: micro and macro
/// precision/recall/F1, subset accuracy (every label of a sample right), Hamming loss (fraction of wrong
/// sample-label cells) and per-label precision/recall/F1/support.
/// </summary>
/// <remarks>
/// Conventions: a ratio with a zero denominator is 0. Micro averages pool the counts of all labels; macro
/// averages are the unweighted mean over the labels that occur in the truth or the predictions, so a label
/// absent from both neither helps nor hurts.
/// </remarks>
public sealed class MultiLabelMetrics : IEvalDetail
{
    /// <summary>Computes the metrics from counts; the three arrays hold one entry per label.</summary>
    /// <param name="labelNames">The K label names.</param>
    /// <param name="samples">Samples scored (N).</param>
    /// <param name="exactMatches">Samples whose predicted label set equals the true one.</param>
    /// <param name="truePositives">Per label: predicted and true.</param>
    /// <param name="falsePositives">Per label: predicted but not true.</param>
    /// <param name="falseNegatives">Per label: true but not predicted.</param>
    /// <exception cref="ArgumentException">The counts do not fit together (lengths, negatives, more matches than samples).</exception>
    public MultiLabelMetrics(IReadOnlyList<string> labelNames, long samples, long exactMatches,
        IReadOnlyList<long> truePositives, IReadOnlyList<long> falsePositives, IReadOnlyList<long> falseNegatives)
    {
        ArgumentNullException.ThrowIfNull(labelNames);
        int k = labelNames.Count;
        if (truePositives.Count != k || falsePositives.Count != k || falseNegatives.Count != k)
            throw new ArgumentException($"expected {k} counts per kind (one per label), got {truePositives.Count}/{falsePositives.Count}/{falseNegatives.Count}");
        if (samples < 0 || exactMatches < 0 || exactMatches > samples)
            throw new ArgumentException($"{exactMatches} exact matches out of {samples} samples is impossible");
        for (int i = 0; i < k; i++)
        {
            long cells = truePositives[i] + falsePositives[i] + falseNegatives[i];
            if (truePositives[i] < 0 || falsePositives[i] < 0 || falseNegatives[i] < 0 || cells > samples)
                throw new ArgumentException($"label '{labelNames[i]}' has impossible counts TP={truePositives[i]} FP={falsePositives[i]} FN={falseNegatives[i]} for {samples} samples");
        }

        LabelNames = labelNames.ToArray();
        Samples = samples;
        ExactMatches = exactMatches;
        var perLabel = new ClassMetrics[k];
        long tp = 0, fp = 0, fn = 0;
        for (int i = 0; i < k; i++)
        {
            perLabel[i] = ClassMetrics.FromCounts(LabelNames[i], truePositives[i], falsePositives[i], falseNegatives[i]);
            tp += truePositives[i];
            fp += falsePositives[i];
            fn += falseNegatives[i];
        }
        PerLabel = perLabel;
        SubsetAccuracy = MetricMath.Ratio(exactMatches, samples);
        HammingLoss = MetricMath.Ratio(fp + fn, samples * k);
        MicroPrecision = MetricMath.Ratio(tp, tp + fp);
        MicroRecall = MetricMath.Ratio(tp, tp + fn);
        MicroF1 = MetricMath.F1(tp, fp, fn);
        MacroPrecision = Averages.Macro(perLabel, m => m.Precision);
        MacroRecall = Averages.Macro(perLabel, m => m.Recall);
        MacroF1 = Averages.Macro(perLabel, m => m.F1);
        Headline = new Dictionary<string, double>
        {
            ["subset_accuracy"] = SubsetAccuracy,
            ["hamming_loss"] = HammingLoss,
            ["micro_precision"] = MicroPrecision,
            ["micro_recall"] = MicroRecall,
            ["micro_f1"] = MicroF1,
            ["macro_precision"] = MacroPrecision,
            ["macro_recall"] = MacroRecall,
            ["macro_f1"] = MacroF1,
        };
    }

    /// <summary>The K label names.</summary>
    public IReadOnlyList<string> LabelNames { get; }

    /// <summary>Samples scored.</summary>
    public long Samples { get; }

    /// <summary>Samples with every label right.</summary>
    public long ExactMatches { get; }

    /// <summary>ExactMatches / Samples.</summary>
    public double SubsetAccuracy { get; }

    /// <summary>(FP + FN) / (Samples · K): the fraction of sample-label cells predicted wrong.</summary>
    public double HammingLoss { get; }

    /// <summary>ΣTP / (ΣTP + ΣFP) over all labels.</summary>
    public double MicroPrecision { get; }

    /// <summary>ΣTP / (ΣTP + ΣFN) over all labels.</summary>
    public double MicroRecall { get; }

    /// <summary>2·ΣTP / (2·ΣTP + ΣFP + ΣFN) over all labels.</summary>
    public double MicroF1 { get; }

    /// <summary>Mean per-label precision over the labels that occur.</summary>
    public double MacroPrecision { get; }

    /// <summary>Mean per-label recall over the labels that occur.</summary>
    public double MacroRecall { get; }

    /// <summary>Mean per-label F1 over the labels that occur.</summary>
    public double MacroF1 { get; }

    /// <summary>Per-label precision, recall, F1 and support, in label order.</summary>
    public IReadOnlyList<ClassMetrics> PerLabel { get; }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> Headline { get; }

    /// <summary>The summary numbers and the per-label table.</summary>
    public string Format()
    {
        var text = new StringBuilder();
        text.AppendLine($"subset accuracy {TextTable.Number(SubsetAccuracy)} ({ExactMatches}/{Samples})  hamming loss {TextTable.Number(HammingLoss)}");
        var table = new TextTable("label", "precision", "recall", "f1", "support");
        foreach (var l in PerLabel)
            table.AddRow(l.Name, TextTable.Number(l.Precision), TextTable.Number(l.Recall), TextTable.Number(l.F1), TextTable.Count(l.Support));
        long support = PerLabel.Sum(l => l.Support);
        table.AddSeparator();
        table.AddRow("micro avg", TextTable.Number(MicroPrecision), TextTable.Number(MicroRecall), TextTable.Number(MicroF1), TextTable.Count(support));
        table.AddRow("macro avg", TextTable.Number(MacroPrecision), TextTable.Number(MacroRecall), TextTable.Number(MacroF1), TextTable.Count(support));
        table.WriteTo(text);
        return text.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => Format();
}
