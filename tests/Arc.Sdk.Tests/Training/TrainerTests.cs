using Arc.Sdk.Tests.Support;
using Arc.Sdk.Tests.Torch;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Sdk.Tests.Training;

public sealed class TrainerTests(MnistFixture mnist) : IClassFixture<MnistFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly TrainOptions TwoEpochs = new() { Epochs = 2, BatchSize = 4, ShuffleSeed = 11 };

    [Fact]
    public async Task Each_batch_is_streamed_once_and_every_model_sees_the_same_batches_in_order()
    {
        var job = new CountingJob<ImageData, ClassData>(InMemoryJob.Numbered(train: 10));
        ScriptedModel[] models = [new("a", 10), new("b", 5), new("c", 0)];
        var reports = new List<TrainerProgress>();

        var result = await new Trainer<ImageData, ClassData>(TwoEpochs).TrainAsync(job, models, new SyncProgress<TrainerProgress>(reports.Add), Ct);

        // Two epochs of 10 samples in batches of 4: two streams of the training split, 3 batches each, not 3 × that.
        Assert.Equal(2, job.Streams(DataSplit.Train));
        Assert.Equal(6, job.Batches(DataSplit.Train));
        Assert.All(models, m => Assert.Equal(6, m.FittedBatches.Count));
        Assert.All(models, m => Assert.Equal(models[0].FittedBatches, m.FittedBatches));
        var epochs = models[0].FittedBatches.Chunk(3).Select(e => e.SelectMany(b => b).ToArray()).ToArray();
        Assert.All(epochs, e => Assert.Equal(Enumerable.Range(0, 10), e.Order()));
        Assert.NotEqual(epochs[0], epochs[1]);

        Assert.Equal((2, false), (result.EpochsCompleted, result.StoppedByBudget));
        Assert.Equal([1, 2, 3, 1, 2, 3], reports.Select(r => r.Batch));
        Assert.Equal([1, 1, 1, 2, 2, 2], reports.Select(r => r.Epoch));
        Assert.Equal(20, reports[^1].Samples);
        Assert.All(reports, r => Assert.Equal((3, 0), (r.HealthyModels, r.FailedModels)));
    }

    [Fact]
    public async Task A_model_that_throws_is_reported_failed_and_the_others_finish_and_are_evaluated()
    {
        var job = InMemoryJob.Numbered(train: 10);
        var broken = new ScriptedModel("broken", 10) { FailOnFit = 3 };
        ScriptedModel[] models = [new("a", 7), broken, new("b", 4)];
        var reports = new List<TrainerProgress>();

        var result = await new Trainer<ImageData, ClassData>(TwoEpochs).TrainAsync(job, models, new SyncProgress<TrainerProgress>(reports.Add), Ct);

        Assert.Equal(["a", "b", "broken"], result.Entries.Select(e => e.Model.Name));
        var failed = result.Entries[2];
        Assert.True(failed.Failed);
        Assert.Same(broken.FitError, failed.Error);
        Assert.Null(failed.Report);
        Assert.Equal(2, failed.Steps);
        Assert.Equal(2, broken.FittedBatches.Count);
        foreach (var entry in result.Entries.Take(2))
        {
            Assert.False(entry.Failed);
            Assert.Equal(6, entry.Steps);
            Assert.Equal(10, entry.Report!.Samples);
        }
        Assert.Equal(0.7, result.Entries[0].Report!.Metric("accuracy"), 1e-12);
        Assert.Equal(0.4, result.Entries[1].Report!.Metric("accuracy"), 1e-12);
        Assert.Equal((3, 0), (reports[1].HealthyModels, reports[1].FailedModels));
        Assert.Equal((2, 1), (reports[2].HealthyModels, reports[2].FailedModels));
    }

    [Fact]
    public async Task Entries_are_ranked_by_accuracy_best_first()
    {
        ScriptedModel[] models = [new("six", 6), new("ten", 10), new("one", 1), new("eight", 8)];

        var result = await new Trainer<ImageData, ClassData>(TwoEpochs).TrainAsync(InMemoryJob.Numbered(), models, cancellationToken: Ct);

        Assert.Equal("accuracy", result.Metric);
        Assert.Equal(["ten", "eight", "six", "one"], result.Entries.Select(e => e.Model.Name));
        var accuracies = result.Entries.Select(e => e.Report!.Metric("accuracy")).ToArray();
        Assert.Equal(accuracies.OrderDescending(), accuracies);
        Assert.Equal(1.0, accuracies[0], 1e-12);
        Assert.Same(models[1], result.Best!.Model);
    }

    [Fact]
    public async Task A_remote_model_and_a_local_one_train_together()
    {
        var job = new CountingJob<ImageData, ClassData>(new DigitsJob(mnist.Data));
        var local = new TinyMlp();
        await using var remote = await Target.LoopbackWorker.DeployAsync<ImageData, ClassData>(() => new TinyMlp(), Ct);
        var untrained = await job.EvaluateAsync(new TinyMlp(), cancellationToken: Ct);

        var result = await new Trainer<ImageData, ClassData>(new TrainOptions { Epochs = 3, BatchSize = 32 })
            .TrainAsync(job, [local, remote], cancellationToken: Ct);

        Assert.Equal(3 * 800 / 32, job.Batches(DataSplit.Train));
        Assert.Equal(2, result.Entries.Count);
        Assert.All(result.Entries, e => Assert.False(e.Failed, e.Error?.ToString()));
        Assert.All(result.Entries, e => Assert.Equal(75, e.Steps));
        Assert.Contains(result.Entries, e => ReferenceEquals(e.Model, local));
        Assert.Contains(result.Entries, e => ReferenceEquals(e.Model, remote));
        // 800 digits, three epochs: both models learn well past chance and past an untrained network.
        Assert.All(result.Entries, e => Assert.True(e.Report!.Metric("accuracy") > Math.Max(0.6, untrained.Metric("accuracy")),
            $"{e.Model.Name}: accuracy {e.Report.Metric("accuracy")}"));
        Assert.True(result.Entries[0].Report!.Metric("accuracy") >= result.Entries[1].Report!.Metric("accuracy"));
    }

    [Fact]
    public async Task The_models_fit_each_batch_at_the_same_time()
    {
        using var aStarted = new ManualResetEventSlim();
        using var bStarted = new ManualResetEventSlim();
        // Each local model's fit is synchronous and waits for the other's to start: taking turns would never get past the guard.
        var a = new ScriptedModel("a", 10) { BeforeFit = _ => { aStarted.Set(); Assert.True(bStarted.Wait(TimeSpan.FromSeconds(30), Ct), "b never fitted while a was fitting"); } };
        var b = new ScriptedModel("b", 10) { BeforeFit = _ => { bStarted.Set(); Assert.True(aStarted.Wait(TimeSpan.FromSeconds(30), Ct), "a never fitted while b was fitting"); } };

        var result = await new Trainer<ImageData, ClassData>(new TrainOptions { BatchSize = 10 }).TrainAsync(InMemoryJob.Numbered(), [a, b], cancellationToken: Ct);

        Assert.All(result.Entries, e => Assert.False(e.Failed, e.Error?.ToString()));
        Assert.Single(a.FittedBatches);
        Assert.Single(b.FittedBatches);
    }

    [Fact]
    public async Task Cancellation_stops_training()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var stopper = new ScriptedModel("stopper", 10) { BeforeFit = fit => { if (fit == 2) cts.Cancel(); } };
        var other = new ScriptedModel("other", 10);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => new Trainer<ImageData, ClassData>(TwoEpochs).TrainAsync(InMemoryJob.Numbered(), [stopper, other], cancellationToken: cts.Token));

        Assert.Single(stopper.FittedBatches);
        // Models no longer move in lockstep: each fits from its own one-batch feed at its own pace, so "other" may not
        // have started batch 1 when the stopper cancels, or may be ahead. The feed bounds how far: batches 1–2 were
        // taken by the stopper and batch 3 waits in its feed, so the job never hands out batch 4 (of 6).
        Assert.InRange(other.FittedBatches.Count, 0, 3);
    }

    [Fact]
    public async Task A_spent_budget_stops_training_before_the_next_batch_and_the_models_are_still_evaluated()
    {
        ScriptedModel[] models = [new("a", 3), new("b", 9)];

        var result = await new Trainer<ImageData, ClassData>(TwoEpochs with { Budget = TimeSpan.Zero }).TrainAsync(InMemoryJob.Numbered(), models, cancellationToken: Ct);

        Assert.Equal((0, true), (result.EpochsCompleted, result.StoppedByBudget));
        Assert.All(models, m => Assert.Empty(m.FittedBatches));
        Assert.Equal(["b", "a"], result.Entries.Select(e => e.Model.Name));
        Assert.All(result.Entries, e => Assert.Equal(0, e.Steps));
    }

    [Fact]
    public async Task Bad_arguments_are_refused_with_a_clear_message()
    {
        var trainer = new Trainer<ImageData, ClassData>();
        var model = new ScriptedModel("a", 1);
        var empty = await Assert.ThrowsAsync<ArgumentException>(() => trainer.TrainAsync(InMemoryJob.Numbered(), [], cancellationToken: Ct));
        Assert.Contains("at least one model", empty.Message);
        var twice = await Assert.ThrowsAsync<ArgumentException>(() => trainer.TrainAsync(InMemoryJob.Numbered(), [model, model], cancellationToken: Ct));
        Assert.Contains("listed twice", twice.Message);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => new Trainer<ImageData, ClassData>(new TrainOptions { Epochs = 0 }).TrainAsync(InMemoryJob.Numbered(), [model], cancellationToken: Ct));
    }
}
