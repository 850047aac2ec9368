using Arc.Sdk;
using Arc.Types;

namespace Arc.Sdk.Tests.Evaluation;

public sealed class ClassificationMetricsTests
{
    private const double Exact = 1e-12;
    private static readonly string[] Names = ["a", "b", "c", "d", "e"];

    // truth → predicted: a→a a→a a→b a→d b→b b→a b→b c→a c→b. So: c is never predicted (precision 0/0),
    // d is predicted once but never true (recall 0/0), e appears nowhere (left out of macro averages).
    private static readonly long[] Truth = [0, 0, 0, 0, 1, 1, 1, 2, 2];
    private static readonly long[] Predicted = [0, 0, 1, 3, 1, 0, 1, 0, 1];

    private static ClassificationMetrics HandExample()
    {
        var evaluator = new ClassificationEvaluator();
        evaluator.Accumulate(new ClassData(Predicted, Names), new ClassData(Truth, Names));
        return Assert.IsType<ClassificationMetrics>(evaluator.Finish());
    }

    [Fact]
    public void Confusion_matrix_counts_truth_by_row_and_prediction_by_column()
    {
        var m = HandExample();
        long[,] expected =
        {
            { 2, 1, 0, 1, 0 },
            { 1, 2, 0, 0, 0 },
            { 1, 1, 0, 0, 0 },
            { 0, 0, 0, 0, 0 },
            { 0, 0, 0, 0, 0 },
        };
        Assert.Equal(expected, m.ConfusionMatrix());
        Assert.Equal(1, m.Confusion(truth: 0, predicted: 3));
        Assert.Equal(9, m.Samples);
        Assert.Equal(4, m.Correct);
    }

    [Fact]
    public void Accuracy_and_per_class_numbers_match_hand_computation()
    {
        var m = HandExample();
        Assert.Equal(4.0 / 9, m.Accuracy, Exact);

        var a = m.PerClass[0];
        Assert.Equal(("a", 0.5, 0.5, 0.5, 4L, 4L), (a.Name, a.Precision, a.Recall, a.F1, a.Support, a.Predicted));
        var b = m.PerClass[1];
        Assert.Equal(0.5, b.Precision, Exact);
        Assert.Equal(2.0 / 3, b.Recall, Exact);
        Assert.Equal(4.0 / 7, b.F1, Exact);
        Assert.Equal(3, b.Support);
    }

    [Fact]
    public void Zero_denominators_give_zero()
    {
        var m = HandExample();
        var neverPredicted = m.PerClass[2];
        Assert.Equal((0.0, 0.0, 0.0, 2L, 0L), (neverPredicted.Precision, neverPredicted.Recall, neverPredicted.F1, neverPredicted.Support, neverPredicted.Predicted));
        var neverTrue = m.PerClass[3];
        Assert.Equal((0.0, 0.0, 0.0, 0L, 1L), (neverTrue.Precision, neverTrue.Recall, neverTrue.F1, neverTrue.Support, neverTrue.Predicted));
        Assert.True(neverTrue.Occurs);
        Assert.False(m.PerClass[4].Occurs);
    }

    [Fact]
    public void Macro_averages_cover_the_classes_that_occur_and_weighted_ones_weigh_by_support()
    {
        var m = HandExample();
        // Four classes occur (a, b, c, d); e does not count.
        Assert.Equal(0.25, m.MacroPrecision, Exact);
        Assert.Equal(7.0 / 24, m.MacroRecall, Exact);
        Assert.Equal(15.0 / 56, m.MacroF1, Exact);
        // Supports 4, 3, 2, 0, 0.
        Assert.Equal(7.0 / 18, m.WeightedPrecision, Exact);
        Assert.Equal(4.0 / 9, m.WeightedRecall, Exact);
        Assert.Equal(26.0 / 63, m.WeightedF1, Exact);
        Assert.Equal(m.Accuracy, m.Headline["accuracy"]);
        Assert.Equal(m.MacroF1, m.Headline["macro_f1"]);
        Assert.Equal(m.WeightedF1, m.Headline["weighted_f1"]);
    }

    [Fact]
    public void Perfect_predictions_score_one_everywhere()
    {
        var evaluator = new ClassificationEvaluator();
        evaluator.Accumulate(new ClassData(Truth, Names), new ClassData(Truth, Names));
        var m = Assert.IsType<ClassificationMetrics>(evaluator.Finish());
        Assert.Equal(1.0, m.Accuracy);
        Assert.Equal(1.0, m.MacroF1);
        Assert.Equal(1.0, m.WeightedF1);
        Assert.All(m.PerClass.Where(c => c.Occurs), c => Assert.Equal(1.0, c.F1));
    }

    [Fact]
    public void Accumulating_in_batches_equals_one_pass()
    {
        var evaluator = new ClassificationEvaluator();
        foreach (var (start, count) in new[] { (0, 4), (4, 1), (5, 4) })
            evaluator.Accumulate(new ClassData(Predicted.AsSpan(start, count), Names), new ClassData(Truth.AsSpan(start, count), Names));
        var batched = Assert.IsType<ClassificationMetrics>(evaluator.Finish());
        Assert.Equal(HandExample().ConfusionMatrix(), batched.ConfusionMatrix());
        Assert.Equal(HandExample().MacroF1, batched.MacroF1);
    }

    [Fact]
    public void No_samples_give_zeros_not_NaN()
    {
        var m = new ClassificationMetrics(Names, new long[5, 5]);
        Assert.Equal(0.0, m.Accuracy);
        Assert.Equal(0.0, m.MacroF1);
        Assert.Equal(0.0, m.WeightedF1);
        Assert.Equal(0.0, Assert.IsType<ClassificationMetrics>(new ClassificationEvaluator().Finish()).Accuracy);
    }

    [Fact]
    public void Disagreeing_batches_are_rejected_with_a_message()
    {
        var evaluator = new ClassificationEvaluator();
        var e = Assert.Throws<ArgumentException>(() => evaluator.Accumulate(new ClassData([0L, 1L], Names), new ClassData([0L], Names)));
        Assert.Contains("2 predictions for 1 true samples", e.Message);

        string[] otherNames = ["a", "b", "c", "d", "x"];
        e = Assert.Throws<ArgumentException>(() => evaluator.Accumulate(new ClassData([0L], otherNames), new ClassData([0L], Names)));
        Assert.Contains("model's predictions", e.Message);
        Assert.Contains("x", e.Message);
    }

    [Fact]
    public void Bad_matrices_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new ClassificationMetrics(Names, new long[4, 5]));
        var negative = new long[5, 5];
        negative[1, 2] = -1;
        Assert.Throws<ArgumentException>(() => new ClassificationMetrics(Names, negative));
    }

    [Fact]
    public void Format_prints_the_per_class_table_and_the_confusion_matrix()
    {
        var lines = HandExample().Format().Split(Environment.NewLine);
        Assert.Equal("accuracy 0.4444 (4/9)", lines[0]);
        Assert.Matches(@"^class\s+precision\s+recall\s+f1\s+support$", lines[1]);
        Assert.Matches(@"^b\s+0\.5000\s+0\.6667\s+0\.5714\s+3$", lines[4]);
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^macro avg\s+0\.2500\s+0\.2917\s+0\.2679\s+9$"));
        int matrix = Array.IndexOf(lines, "confusion matrix (rows: true class, columns: predicted class)");
        Assert.True(matrix > 0);
        Assert.Matches(@"^true \\ predicted\s+a\s+b\s+c\s+d\s+e$", lines[matrix + 1]);
        Assert.Matches(@"^a\s+2\s+1\s+0\s+1\s+0$", lines[matrix + 3]);
    }

    [Fact]
    public void Format_leaves_out_matrices_too_large_to_read()
    {
        int k = ClassificationMetrics.MaxClassesInPrintedMatrix + 1;
        var names = Enumerable.Range(0, k).Select(i => $"c{i}").ToArray();
        var text = new ClassificationMetrics(names, new long[k, k]).Format();
        Assert.Contains($"{k}×{k}, too large to print", text);
        Assert.DoesNotContain("rows: true class", text);
    }
}
