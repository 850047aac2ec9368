using System.Text;

namespace Arc.Sdk;

/// <summary>
/// Single-label classification metrics, all derived from one K×K confusion matrix (rows: true class, columns:
/// predicted class): accuracy, per-class precision/recall/F1/support, macro and support-weighted averages.
/// </summary>
/// <remarks>
/// Conventions: a ratio with a zero denominator is 0 (a class never predicted has precision 0, a class with no
/// samples has recall 0). Macro averages are over the classes that occur in the truth or the predictions, so a
/// class absent from both neither helps nor hurts. Weighted averages weight each class by its support.
/// </remarks>
public sealed class ClassificationMetrics : IEvalDetail
{
    /// <summary>The confusion matrix beyond which <see cref="Format"/> prints per-class rows only.</summary>
    public const int MaxClassesInPrintedMatrix = 30;

    private readonly long[,] _confusion;

    /// <summary>Computes every metric from <paramref name="confusion"/>: entry [t, p] counts samples of true class t predicted as p.</summary>
    /// <exception cref="ArgumentException">The matrix is not K×K for the K names, or holds a negative count.</exception>
    public ClassificationMetrics(IReadOnlyList<string> classNames, long[,] confusion)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(confusion);
        int k = classNames.Count;
        if (confusion.GetLength(0) != k || confusion.GetLength(1) != k)
            throw new ArgumentException($"the confusion matrix is {confusion.GetLength(0)}×{confusion.GetLength(1)} but there are {k} class names", nameof(confusion));
        foreach (var count in confusion)
            if (count < 0) throw new ArgumentException($"the confusion matrix holds a negative count ({count})", nameof(confusion));

        ClassNames = classNames.ToArray();
        _confusion = (long[,])confusion.Clone();

        var perClass = new ClassMetrics[k];
        long correct = 0, samples = 0;
        for (int c = 0; c < k; c++)
        {
            long truePositives = _confusion[c, c];
            long support = 0, predicted = 0;
            for (int other = 0; other < k; other++)
            {
                support += _confusion[c, other];
                predicted += _confusion[other, c];
            }
            perClass[c] = ClassMetrics.FromCounts(ClassNames[c], truePositives, predicted - truePositives, support - truePositives);
            correct += truePositives;
            samples += support;
        }
        PerClass = perClass;
        Samples = samples;
        Correct = correct;
        Accuracy = MetricMath.Ratio(correct, samples);
        MacroPrecision = Averages.Macro(perClass, m => m.Precision);
        MacroRecall = Averages.Macro(perClass, m => m.Recall);
        MacroF1 = Averages.Macro(perClass, m => m.F1);
        WeightedPrecision = Averages.Weighted(perClass, m => m.Precision);
        WeightedRecall = Averages.Weighted(perClass, m => m.Recall);
        WeightedF1 = Averages.Weighted(perClass, m => m.F1);
        Headline = new Dictionary<string, double>
        {
            ["accuracy"] = Accuracy,
            ["macro_precision"] = MacroPrecision,
            ["macro_recall"] = MacroRecall,
            ["macro_f1"] = MacroF1,
            ["weighted_precision"] = WeightedPrecision,
            ["weighted_recall"] = WeightedRecall,
            ["weighted_f1"] = WeightedF1,
        };
    }

    /// <summary>The K class names; index i names class i (rows and columns of the confusion matrix).</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Samples scored.</summary>
    public long Samples { get; }

    /// <summary>Samples whose predicted class is the true one.</summary>
    public long Correct { get; }

    /// <summary>Correct / Samples (0 for no samples).</summary>
    public double Accuracy { get; }

    /// <summary>Per-class precision, recall, F1, support, in class-index order.</summary>
    public IReadOnlyList<ClassMetrics> PerClass { get; }

    /// <summary>Mean precision over the classes that occur.</summary>
    public double MacroPrecision { get; }

    /// <summary>Mean recall over the classes that occur.</summary>
    public double MacroRecall { get; }

    /// <summary>Mean F1 over the classes that occur.</summary>
    public double MacroF1 { get; }

    /// <summary>Precision averaged with each class weighted by its support.</summary>
    public double WeightedPrecision { get; }

    /// <summary>Recall averaged with each class weighted by its support (equals <see cref="Accuracy"/>).</summary>
    public double WeightedRecall { get; }

    /// <summary>F1 averaged with each class weighted by its support.</summary>
    public double WeightedF1 { get; }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> Headline { get; }

    /// <summary>Samples of true class <paramref name="truth"/> predicted as <paramref name="predicted"/>.</summary>
    public long Confusion(int truth, int predicted) => _confusion[truth, predicted];

    /// <summary>A copy of the K×K confusion matrix: [true class, predicted class].</summary>
    public long[,] ConfusionMatrix() => (long[,])_confusion.Clone();

    /// <summary>The per-class table, the averages, and (for up to <see cref="MaxClassesInPrintedMatrix"/> classes) the confusion matrix.</summary>
    public string Format()
    {
        var text = new StringBuilder();
        text.AppendLine($"accuracy {TextTable.Number(Accuracy)} ({Correct}/{Samples})");
        var table = new TextTable("class", "precision", "recall", "f1", "support");
        foreach (var c in PerClass)
            table.AddRow(c.Name, TextTable.Number(c.Precision), TextTable.Number(c.Recall), TextTable.Number(c.F1), TextTable.Count(c.Support));
        table.AddSeparator();
        table.AddRow("macro avg", TextTable.Number(MacroPrecision), TextTable.Number(MacroRecall), TextTable.Number(MacroF1), TextTable.Count(Samples));
        table.AddRow("weighted avg", TextTable.Number(WeightedPrecision), TextTable.Number(WeightedRecall), TextTable.Number(WeightedF1), TextTable.Count(Samples));
        table.WriteTo(text);

        int k = ClassNames.Count;
        if (k > MaxClassesInPrintedMatrix)
        {
            text.AppendLine($"confusion matrix: {k}×{k}, too large to print (see {nameof(ConfusionMatrix)}())");
            return text.ToString();
        }
        text.AppendLine();
        text.AppendLine("confusion matrix (rows: true class, columns: predicted class)");
        var matrix = new TextTable(["true \\ predicted", .. ClassNames]);
        for (int t = 0; t < k; t++)
        {
            var row = new string[k + 1];
            row[0] = ClassNames[t];
            for (int p = 0; p < k; p++) row[p + 1] = TextTable.Count(_confusion[t, p]);
            matrix.AddRow(row);
        }
        matrix.WriteTo(text);
        return text.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => Format();
}
