using Arc.Sdk.Tests.Support;
using Arc.Types;

namespace Arc.Sdk.Tests.Evaluation;

/// <summary>
/// <c>job.EvaluateAsync(model)</c> works for every Arc data type as Y: tensors and tables get MSE/RMSE/MAE, texts exact
/// match and character error rate (ClassData and LabelData are covered by their own tests). The expected numbers are
/// worked out by hand from the values below.
/// </summary>
public sealed class EveryTargetTypeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A model that predicts by a fixed function of its input.</summary>
    private sealed class FunctionModel<X, Y>(Func<X, Y> predict) : SupervisedModel<X, Y>
        where X : IArcData<X>
        where Y : IArcData<Y>
    {
        public override FitResult Fit(X x, Y y) => new(0, x.Count);
        public override Y Predict(X x) => predict(x);
        public override void SaveWeights(Stream destination) { }
        public override void LoadWeights(Stream source) { }
    }

    private static InMemoryJob<X, Y> Job<X, Y>(X x, Y y) where X : IArcData<X> where Y : IArcData<Y>
        => new(new Dictionary<DataSplit, Batch<X, Y>> { [DataSplit.Test] = new(x, y) });

    [Fact]
    public async Task Images_as_targets_get_mse_rmse_and_mae_over_every_pixel()
    {
        // Truth 0..7 in 2 images of 1×2×2; the model predicts truth + (1, -1, 3, 0, …): squared errors 1, 1, 9, 0 twice.
        var truth = new ImageData(ArcArray.From(new float[] { 0, 1, 2, 3, 4, 5, 6, 7 }, 2, 1, 2, 2));
        float[] offsets = [1, -1, 3, 0, 1, -1, 3, 0];
        using var model = new FunctionModel<ImageData, ImageData>(x =>
            new ImageData(ArcArray.From(x.Pixels.ToArray<float>().Select((v, i) => v + offsets[i]).ToArray(), x.Pixels.ShapeArray())));
        var report = await Job(truth, truth).EvaluateAsync(model, batchSize: 1, cancellationToken: Ct);

        Assert.Equal(2, report.Samples);
        Assert.Equal(11.0 / 4, report.Metric("mse"), 12);
        Assert.Equal(Math.Sqrt(11.0 / 4), report.Metric("rmse"), 12);
        Assert.Equal(5.0 / 4, report.Metric("mae"), 12);
        Assert.Equal(8, report.Regression!.Overall.Elements);
    }

    [Fact]
    public async Task Audio_and_video_targets_are_scored_as_tensors()
    {
        var audio = new AudioData(ArcArray.From(new float[] { 0.5f, -0.5f, 0.25f, 0 }, 2, 1, 2), 16_000);
        using var silence = new FunctionModel<AudioData, AudioData>(x => new AudioData(ArcArray.Zeros(ArcDType.Float32, 2, 1, 2), 16_000));
        var heard = await Job(audio, audio).EvaluateAsync(silence, cancellationToken: Ct);
        Assert.Equal((0.25 + 0.25 + 0.0625) / 4, heard.Metric("mse"), 12);
        Assert.Equal(1.25 / 4, heard.Metric("mae"), 12);

        var video = new VideoData(ArcArray.From(new byte[] { 10, 20, 30, 40 }, 1, 2, 1, 1, 2), 25);
        using var dimmer = new FunctionModel<VideoData, VideoData>(x =>
            new VideoData(ArcArray.From(x.Frames.ToArray<byte>().Select(v => (byte)(v - 10)).ToArray(), x.Frames.ShapeArray()), 25));
        var seen = await Job(video, video).EvaluateAsync(dimmer, cancellationToken: Ct);
        Assert.Equal(100, seen.Metric("mse"), 12);
        Assert.Equal(10, seen.Metric("mae"), 12);
    }

    [Fact]
    public async Task Table_targets_are_scored_per_numeric_column_and_together()
    {
        var truth = new TableData([
            TableColumn.FromValues("price", new double[] { 100, 200, 300 }),
            TableColumn.FromValues("rooms", new long[] { 1, 2, 3 }),
            TableColumn.FromStrings("city", ["a", "b", "c"]),
        ]);
        // Prices off by 10, -20, 0; rooms off by 1 on one row; the city column is not a number and is not scored.
        using var model = new FunctionModel<TableData, TableData>(_ => new TableData([
            TableColumn.FromValues("price", new double[] { 110, 180, 300 }),
            TableColumn.FromValues("rooms", new long[] { 1, 3, 3 }),
            TableColumn.FromStrings("city", ["x", "y", "z"]),
        ]));
        var report = await Job(truth, truth).EvaluateAsync(model, cancellationToken: Ct);

        Assert.Equal(500.0 / 3, report.Metric("mse/price"), 9);
        Assert.Equal(10, report.Metric("mae/price"), 9);
        Assert.Equal(1.0 / 3, report.Metric("mse/rooms"), 9);
        Assert.Equal(501.0 / 6, report.Metric("mse"), 9);
        Assert.Equal(31.0 / 6, report.Metric("mae"), 9);
        Assert.Contains("price", report.Regression!.Format());
    }

    [Fact]
    public async Task Text_targets_get_exact_match_and_character_error_rate()
    {
        var truth = new TextData("hallo", "ciao", "");
        // One exact, one with one substitution in 4 characters, one empty truth answered with text (rate 1).
        using var model = new FunctionModel<TextData, TextData>(_ => new TextData("hallo", "ciau", "x"));
        var report = await Job(truth, truth).EvaluateAsync(model, cancellationToken: Ct);
        Assert.Equal(1.0 / 3, report.Metric("exact_match"), 12);
        Assert.Equal((0 + 0.25 + 1) / 3, report.Metric("cer"), 12);
    }

    [Fact]
    public void Predictions_of_another_shape_are_refused_by_name()
    {
        var evaluator = Evaluators.Create<ImageData>();
        var truth = new ImageData(ArcArray.Zeros(ArcDType.Float32, 1, 1, 2, 2));
        var wrong = new ImageData(ArcArray.Zeros(ArcDType.Float32, 1, 1, 2, 3));
        var error = Assert.Throws<ArgumentException>(() => evaluator.Accumulate(wrong, truth));
        Assert.Contains("rows of shape (1, 2, 3) predicted and (1, 2, 2) true", error.Message);

        var table = Evaluators.Create<TableData>();
        var a = new TableData([TableColumn.FromValues("a", new double[] { 1 })]);
        var b = new TableData([TableColumn.FromValues("b", new double[] { 1 })]);
        Assert.Contains("columns a but the truth holds columns b", Assert.Throws<ArgumentException>(() => table.Accumulate(a, b)).Message);
    }
}
