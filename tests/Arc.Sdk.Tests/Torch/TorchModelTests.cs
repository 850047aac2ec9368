using Arc.Samples.Mnist;
using TorchSharp;
using Arc.Sdk;
using Arc.Types;
using Arc.Torch;

namespace Arc.Sdk.Tests.Torch;

/// <summary>End to end on real handwritten digits: train a real TorchSharp model, evaluate it, save and load it.</summary>
public sealed class TorchModelTests(MnistFixture mnist) : IClassFixture<MnistFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static TinyMlp NewModel(int seed, int hidden = 32, double dropout = 0.0)
    {
        torch.manual_seed(seed);
        return new TinyMlp(hidden, dropout);
    }

    private async Task<TinyMlp> TrainedModelAsync(int seed = 7)
    {
        var model = NewModel(seed);
        await new DigitsJob(mnist.Data).TrainAsync(model, new TrainOptions { Epochs = 8, BatchSize = 32 }, cancellationToken: Ct);
        return model;
    }

    [Fact]
    public async Task A_trained_model_classifies_held_out_digits()
    {
        var job = new DigitsJob(mnist.Data);
        using var model = NewModel(seed: 7);
        var untrained = await job.EvaluateAsync(model, DataSplit.Test, 64, Ct);

        var summary = await job.TrainAsync(model, new TrainOptions { Epochs = 8, BatchSize = 32 }, cancellationToken: Ct);
        var report = await job.EvaluateAsync(model, DataSplit.Test, 64, Ct);

        Assert.Equal((8, 200L), (summary.EpochsCompleted, summary.Steps)); // 800 digits / 32
        Assert.Equal(200, report.Samples);
        Assert.Equal("tinymlp", report.Model);
        Assert.Equal("cpu", report.Device);
        var metrics = Assert.IsType<ClassificationMetrics>(report.Detail);
        Assert.Equal(MnistDigits.ClassNames, metrics.ClassNames);
        Assert.All(metrics.PerClass, c => Assert.Equal(20, c.Support));
        Assert.True(report.Metric("accuracy") >= 0.75, $"accuracy after training is {report.Metric("accuracy"):0.000}:{Environment.NewLine}{report}");
        Assert.True(report.Metric("accuracy") > untrained.Metric("accuracy") + 0.4,
            $"training moved accuracy only from {untrained.Metric("accuracy"):0.000} to {report.Metric("accuracy"):0.000}");
    }

    [Fact]
    public async Task Saved_weights_give_identical_predictions_in_a_fresh_model()
    {
        using var trained = await TrainedModelAsync();
        var images = mnist.Data.Test.Inputs;
        var expected = trained.Predict(images);
        using var weights = new MemoryStream();
        await ((ISupervisedModel<ImageData, ClassData>)trained).SaveWeightsAsync(weights, Ct);

        using var fresh = NewModel(seed: 99);
        Assert.NotEqual(expected.Scores!.Bytes.ToArray(), fresh.Predict(images).Scores!.Bytes.ToArray());

        weights.Position = 0;
        await ((ISupervisedModel<ImageData, ClassData>)fresh).LoadWeightsAsync(weights, Ct);
        var actual = fresh.Predict(images);
        Assert.Equal(expected.IndexSpan.ToArray(), actual.IndexSpan.ToArray());
        Assert.Equal(expected.Scores!.Bytes.ToArray(), actual.Scores!.Bytes.ToArray());
    }

    [Fact]
    public void Weights_of_another_architecture_are_rejected_clearly()
    {
        using var small = NewModel(seed: 1, hidden: 16);
        using var weights = new MemoryStream();
        small.SaveWeights(weights);
        weights.Position = 0;

        using var model = NewModel(seed: 1, hidden: 32);
        var e = Assert.Throws<InvalidDataException>(() => model.LoadWeights(weights));
        Assert.Contains("do not fit TinyMlp", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(200)]
    public void Bytes_that_are_no_weights_are_rejected_clearly(int length)
    {
        var junk = new byte[length];
        new Random(length).NextBytes(junk);
        using var model = NewModel(seed: 1);
        var e = Assert.Throws<InvalidDataException>(() => model.LoadWeights(new MemoryStream(junk)));
        Assert.Contains("do not fit TinyMlp", e.Message);
    }

    [Fact]
    public void Predict_runs_in_evaluation_mode_and_Fit_in_training_mode()
    {
        using var model = NewModel(seed: 3, dropout: 0.5);
        var batch = mnist.Data.Train.Inputs.Slice(0, 16);
        var first = model.Predict(batch);
        Assert.False(model.IsTraining);
        // Dropout is off in evaluation mode, so predicting twice gives the same scores.
        Assert.Equal(first.Scores!.Bytes.ToArray(), model.Predict(batch).Scores!.Bytes.ToArray());

        var fit = model.Fit(batch, mnist.Data.Train.Targets.Slice(0, 16));
        Assert.True(model.IsTraining);
        Assert.Equal(16, fit.Samples);
        Assert.True(double.IsFinite(fit.Loss) && fit.Loss > 0);
    }

    [Fact]
    public void Targets_with_other_class_names_are_rejected()
    {
        using var model = NewModel(seed: 1);
        var images = mnist.Data.Train.Inputs.Slice(0, 2);
        var e = Assert.Throws<ArgumentException>(() => model.Fit(images, new ClassData([0L, 1L], ["cat", "dog"])));
        Assert.Contains("cat, dog", e.Message);
    }

    [Fact]
    public void A_model_without_a_network_says_what_to_call()
    {
        using var model = new UninitializedModel();
        var e = Assert.Throws<InvalidOperationException>(() => model.Predict(mnist.Data.Test.Inputs.Slice(0, 1)));
        Assert.Contains("Initialize(network", e.Message);
    }

    [Fact]
    public void On_the_TorchSharp_that_Arcs_build_marked_a_torch_model_leaves_the_collector_alone()
    {
        // The build marks the test's own copy of TorchSharp.dll (build/KeepTorchSharpArgumentsAlive.cs), so no defence
        // against collections during steps is needed (TorchGcSafety): the GC mode is the process's own, steps of two
        // models take two locks, and a worker may decode while fitting.
        var before = System.Runtime.GCSettings.LatencyMode;
        using var model = NewModel(seed: 1);
        Assert.True(TorchGcSafety.ArgumentsKeptAlive);
        Assert.True(model.ToleratesCollectionsDuringSteps);
        Assert.Equal(before, System.Runtime.GCSettings.LatencyMode);
        Assert.NotEqual(System.Runtime.GCLatencyMode.Batch, System.Runtime.GCSettings.LatencyMode);
    }

    [Fact]
    public void A_disposed_model_refuses_work()
    {
        var model = NewModel(seed: 1);
        model.Dispose();
        model.Dispose(); // twice is harmless
        Assert.Throws<ObjectDisposedException>(() => model.Predict(mnist.Data.Test.Inputs.Slice(0, 1)));
    }
}
