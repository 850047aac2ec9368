using Arc.Sdk.Tests.Evaluation;
using Arc.Sdk.Tests.Support;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Sdk.Tests.Jobs;

public sealed class EvaluateTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // The numbered test split has classes i mod 3: 0,1,2,0,1,2,0,1,2,0. The table model answers these:
    private static readonly long[] Answers = [0, 1, 1, 0, 0, 2, 0, 1, 2, 2];

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(256)]
    public async Task The_report_scores_every_sample_whatever_the_batch_size(int batchSize)
    {
        var job = InMemoryJob.Numbered(test: 10);
        var model = new TableModel(Answers, TestData.ThreeClasses);
        var report = await job.EvaluateAsync(model, DataSplit.Test, batchSize, Ct);

        long[,] expected =
        {
            { 3, 0, 1 }, // truth 0 at 0,3,6,9 → 0,0,0,2
            { 1, 2, 0 }, // truth 1 at 1,4,7 → 1,0,1
            { 0, 1, 2 }, // truth 2 at 2,5,8 → 1,2,2
        };
        var metrics = Assert.IsType<ClassificationMetrics>(report.Detail);
        Assert.Same(metrics, report.Classification);
        Assert.Null(report.MultiLabel);
        Assert.Equal(expected, metrics.ConfusionMatrix());
        Assert.Equal(0.7, report.Metric("accuracy"), 1e-12);
        Assert.Equal(metrics.Headline, report.Metrics);
        Assert.Equal(("table", "inmemoryjob", DataSplit.Test, 10), (report.Model, report.Job, report.Split, report.Samples));
        Assert.Equal("unknown", report.Device);
        Assert.Equal((10 + batchSize - 1) / batchSize, model.PredictCalls);
    }

    [Fact]
    public async Task Progress_is_reported_after_every_batch()
    {
        var reports = new List<EvalProgress>();
        var job = InMemoryJob.Numbered(test: 10);
        await job.EvaluateAsync(new TableModel(Answers, TestData.ThreeClasses), DataSplit.Test, 4, new SyncProgress<EvalProgress>(reports.Add), Ct);
        Assert.Equal([4, 8, 10], reports.Select(r => r.Samples));
        Assert.Equal([1, 2, 3], reports.Select(r => r.Batches));
        Assert.All(reports, r => Assert.Equal(10, r.TotalSamples));
        Assert.Equal(1.0, reports[^1].Fraction);
    }

    [Fact]
    public async Task A_model_that_returns_too_few_predictions_is_named()
    {
        var model = new TableModel(Answers, TestData.ThreeClasses) { DropPredictions = 1 };
        var e = await Assert.ThrowsAsync<InvalidOperationException>(async () => await InMemoryJob.Numbered().EvaluateAsync(model, DataSplit.Test, 4, Ct));
        Assert.Contains("model table returned 3 predictions for a batch of 4", e.Message);
    }

    [Fact]
    public async Task A_model_with_other_class_names_is_rejected()
    {
        var model = new TableModel(Answers, ["red", "green", "violet"]);
        var e = await Assert.ThrowsAsync<ArgumentException>(async () => await InMemoryJob.Numbered().EvaluateAsync(model, cancellationToken: Ct));
        Assert.Contains("violet", e.Message);
    }

    [Fact]
    public async Task An_empty_split_cannot_be_evaluated()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await InMemoryJob.Numbered(test: 0).EvaluateAsync(new TableModel(Answers, TestData.ThreeClasses), cancellationToken: Ct));
        Assert.Contains("empty", e.Message);
    }

    [Fact]
    public async Task Evaluation_can_be_cancelled()
    {
        using var cancel = new CancellationTokenSource();
        var job = InMemoryJob.Numbered(test: 10);
        var progress = new SyncProgress<EvalProgress>(_ => cancel.Cancel());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await job.EvaluateAsync(new TableModel(Answers, TestData.ThreeClasses), DataSplit.Test, 2, progress, cancel.Token));
    }

    [Fact]
    public async Task A_job_can_choose_its_own_evaluator()
    {
        var job = InMemoryJob.Numbered(test: 10);
        job.Evaluator = () => new CountingEvaluator();
        var report = await job.EvaluateAsync(new TableModel(Answers, TestData.ThreeClasses), DataSplit.Test, 4, Ct);
        Assert.Equal(3, report.Metric("batches"));
        Assert.Null(report.Classification);
        var e = Assert.Throws<KeyNotFoundException>(() => report.Metric("accuracy"));
        Assert.Contains("batches", e.Message);
    }

    [Fact]
    public void The_report_formats_as_readable_text()
    {
        var metrics = new ClassificationMetrics(["a", "b"], new long[,] { { 3, 1 }, { 0, 4 } });
        var report = new EvalReport
        {
            Model = "m", Job = "j", Split = DataSplit.Test, Samples = 8, Device = "cpu",
            Duration = TimeSpan.FromSeconds(1.5), Metrics = metrics.Headline, Detail = metrics,
        };
        var text = report.ToString();
        Assert.StartsWith("model=m job=j split=test samples=8 device=cpu duration=1.50s" + Environment.NewLine + "accuracy=0.8750  macro_precision=", text);
        Assert.Contains(metrics.Format(), text);
    }

    private sealed class CountingEvaluator : IEvaluator<ClassData>
    {
        private int _batches;
        public void Accumulate(ClassData predicted, ClassData truth) => _batches++;
        public IEvalDetail Finish() => new Counted(_batches);

        private sealed record Counted(int Batches) : IEvalDetail
        {
            public IReadOnlyDictionary<string, double> Headline => new Dictionary<string, double> { ["batches"] = Batches };
            public string Format() => $"batches {Batches}";
        }
    }
}
