using Arc.Sdk;
using Arc.Types;

namespace Arc.Sdk.Tests.Evaluation;

public sealed class MultiLabelMetricsTests
{
    private const double Exact = 1e-12;
    private static readonly string[] Names = ["x", "y", "z", "w"];

    // Four samples: r0 exact; r1 misses y; r2 adds x; r3 misses z. Label w appears nowhere.
    private static readonly byte[] Truth =
    [
        1, 0, 1, 0,
        1, 1, 0, 0,
        0, 1, 0, 0,
        0, 0, 1, 0,
    ];

    // The same predictions as probabilities: at or above 0.5 is "on".
    private static readonly float[] PredictedProbabilities =
    [
        0.9f, 0.1f, 0.5f, 0.2f,
        0.8f, 0.4999f, 0.0f, 0.3f,
        0.6f, 1.0f, 0.1f, 0.0f,
        0.2f, 0.0f, 0.49f, float.NaN,
    ];

    private static LabelData Labels<T>(T[] values) where T : unmanaged => new(ArcArray.From(values, values.Length / 4, 4), Names);

    private static MultiLabelMetrics HandExample()
    {
        var evaluator = new MultiLabelEvaluator();
        evaluator.Accumulate(Labels(PredictedProbabilities), Labels(Truth));
        return Assert.IsType<MultiLabelMetrics>(evaluator.Finish());
    }

    [Fact]
    public void Micro_numbers_pool_all_labels()
    {
        var m = HandExample();
        // TP 4, FP 1, FN 2.
        Assert.Equal(4.0 / 5, m.MicroPrecision, Exact);
        Assert.Equal(2.0 / 3, m.MicroRecall, Exact);
        Assert.Equal(8.0 / 11, m.MicroF1, Exact);
    }

    [Fact]
    public void Per_label_and_macro_numbers_match_hand_computation()
    {
        var m = HandExample();
        var x = m.PerLabel[0];
        Assert.Equal((2.0 / 3, 1.0, 2L, 3L), (x.Precision, x.Recall, x.Support, x.Predicted));
        Assert.Equal(0.8, x.F1, Exact);
        Assert.Equal((1.0, 0.5), (m.PerLabel[1].Precision, m.PerLabel[1].Recall));
        Assert.Equal(2.0 / 3, m.PerLabel[2].F1, Exact);
        var w = m.PerLabel[3];
        Assert.Equal((0.0, 0.0, 0.0, 0L, 0L, false), (w.Precision, w.Recall, w.F1, w.Support, w.Predicted, w.Occurs));
        // Macro over x, y, z (w occurs nowhere).
        Assert.Equal(8.0 / 9, m.MacroPrecision, Exact);
        Assert.Equal(2.0 / 3, m.MacroRecall, Exact);
        Assert.Equal(32.0 / 45, m.MacroF1, Exact);
    }

    [Fact]
    public void Subset_accuracy_and_Hamming_loss_match_hand_computation()
    {
        var m = HandExample();
        Assert.Equal(1, m.ExactMatches);
        Assert.Equal(0.25, m.SubsetAccuracy, Exact);
        Assert.Equal(3.0 / 16, m.HammingLoss, Exact);
        Assert.Equal(m.MicroF1, m.Headline["micro_f1"]);
        Assert.Equal(m.HammingLoss, m.Headline["hamming_loss"]);
    }

    [Fact]
    public void Byte_and_bool_predictions_count_non_zero_as_on()
    {
        byte[] predicted = [1, 0, 1, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0];
        foreach (var labels in new[] { Labels(predicted), new LabelData(ArcArray.FromBytes(ArcDType.Bool, [4, 4], predicted), Names) })
        {
            var evaluator = new MultiLabelEvaluator();
            evaluator.Accumulate(labels, Labels(Truth));
            var m = Assert.IsType<MultiLabelMetrics>(evaluator.Finish());
            Assert.Equal(8.0 / 11, m.MicroF1, Exact);
            Assert.Equal(32.0 / 45, m.MacroF1, Exact);
        }
    }

    [Fact]
    public void The_threshold_is_configurable()
    {
        var evaluator = new MultiLabelEvaluator(threshold: 0.45);
        evaluator.Accumulate(Labels(PredictedProbabilities), Labels(Truth));
        var m = Assert.IsType<MultiLabelMetrics>(evaluator.Finish());
        // At 0.45, r1's y (0.4999) and r3's z (0.49) switch on: every sample is now exact except r2.
        Assert.Equal(0.75, m.SubsetAccuracy, Exact);
        Assert.Equal(1.0 / 16, m.HammingLoss, Exact);
    }

    [Fact]
    public void Accumulating_in_batches_equals_one_pass()
    {
        var evaluator = new MultiLabelEvaluator();
        var predicted = Labels(PredictedProbabilities);
        var truth = Labels(Truth);
        evaluator.Accumulate(predicted.Slice(0, 3), truth.Slice(0, 3));
        evaluator.Accumulate(predicted.Slice(3, 1), truth.Slice(3, 1));
        var m = Assert.IsType<MultiLabelMetrics>(evaluator.Finish());
        Assert.Equal(HandExample().Headline, m.Headline);
    }

    [Fact]
    public void Truth_must_be_multi_hot()
    {
        float[] notMultiHot = [0.5f, 0, 0, 0];
        var e = Assert.Throws<ArgumentException>(() => new MultiLabelEvaluator().Accumulate(Labels(notMultiHot), Labels(notMultiHot)));
        Assert.Contains("multi-hot", e.Message);
    }

    [Fact]
    public void No_samples_give_zeros()
    {
        var m = Assert.IsType<MultiLabelMetrics>(new MultiLabelEvaluator().Finish());
        Assert.Equal((0.0, 0.0, 0.0), (m.SubsetAccuracy, m.HammingLoss, m.MicroF1));
    }

    [Fact]
    public void Impossible_counts_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new MultiLabelMetrics(["x"], samples: 2, exactMatches: 3, [0L], [0L], [0L]));
        Assert.Throws<ArgumentException>(() => new MultiLabelMetrics(["x"], samples: 2, exactMatches: 0, [2L], [1L], [0L]));
        Assert.Throws<ArgumentException>(() => new MultiLabelMetrics(["x", "y"], samples: 2, exactMatches: 0, [0L], [0L], [0L]));
    }

    [Fact]
    public void Format_prints_the_summary_and_per_label_table()
    {
        var lines = HandExample().Format().Split(Environment.NewLine);
        Assert.Equal("subset accuracy 0.2500 (1/4)  hamming loss 0.1875", lines[0]);
        Assert.Matches(@"^x\s+0\.6667\s+1\.0000\s+0\.8000\s+2$", lines[3]);
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^micro avg\s+0\.8000\s+0\.6667\s+0\.7273\s+6$"));
    }
}
