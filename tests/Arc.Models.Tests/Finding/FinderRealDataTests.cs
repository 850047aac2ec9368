using Arc.Datasets;
using Arc.Samples.FashionMnist;
using Arc.Samples.Mnist;
using Arc.Sdk;
using Arc.Tracking.Server;
using Arc.Types;

namespace Arc.Models.Tests;

/// <summary>
/// The Finder on real data: a CNN trained on MNIST digits and one trained on Fashion-MNIST are offered for a
/// Fashion-MNIST job (images neither model saw). Both fit (same inputs, labels "0".."9"); the Fashion-MNIST model must
/// come first by distance and again after both are evaluated on the job.
/// </summary>
public sealed class FinderRealDataTests
{
    [Fact]
    public async Task For_a_fashion_mnist_job_the_fashion_mnist_model_ranks_first_before_and_after_evaluation()
    {
        var ct = TestContext.Current.CancellationToken;
        using var folder = new TemporaryFolder();
        string tracking = "file:" + folder["tracking"];

        var digits = await MnistDigits.LoadAsync(maxPerDigit: 400, cancellationToken: ct);          // 3,200 train, 800 test
        var fashionTrain = FashionMnistIdx.Read("train", limit: 4000);
        var fashionTest = FashionMnistIdx.Read("t10k", limit: 2000);
        using var mnist = await PublishAsync(folder["datasets"], "mnist", digits.Train, digits.Test, ct);
        using var fashion = await PublishAsync(folder["datasets"], "fashion-mnist", fashionTrain, Slice(fashionTest, 0, 1000), ct);
        var jobPublished = await new DatasetBuilder<ImageData, ClassData>("fashion-job")
            .AddSplit(DataSplit.Test, Slice(fashionTest, 1000, 1000))
            .PublishAsync(folder["datasets"], "v1", ct);
        using var job = await DatasetVersion.OpenAsync<ImageData, ClassData>(jobPublished.Path, cancellationToken: ct);

        var mnistModel = await TrainAndPublishAsync(mnist, folder["models"], "mnist-cnn", tracking, ct);
        var fashionModel = await TrainAndPublishAsync(fashion, folder["models"], "fashion-cnn", tracking, ct);

        await using var connection = await TrackingConnection.OpenAsync(tracking, ct);
        var registeredMnist = await connection.Store.GetModelVersionAsync(mnistModel.Registered!.VersionId, ct);
        Func<ModelVersionMetadata, ISupervisedModel<ImageData, ClassData>> create =
            meta => ConvClassifier.Create(new ConvClassifier.Hyperparameters(Channels: (int)(long)meta.Hyperparameters["channels"]));
        ModelCandidate<ImageData, ClassData>[] candidates =
        [
            ModelCandidate<ImageData, ClassData>.Registered(connection, registeredMnist, create),  // from the registry
            ModelCandidate<ImageData, ClassData>.Published(fashionModel.Folder, create),           // from its folder
        ];

        var report = await Finder.FindAsync(job, candidates, new FinderOptions { EvaluateTop = 2 }, ct);
        TestContext.Current.TestOutputHelper?.WriteLine(report.Format());

        Assert.Empty(report.Rejected);
        Assert.Equal(["fashion-mnist", "mnist"], report.ByDistance.Select(e => e.Metadata.Dataset.Name));
        Assert.Equal(["fashion-mnist", "mnist"], report.Ranked.Select(e => e.Metadata.Dataset.Name));
        Assert.Equal("accuracy", report.Metric);
        var (best, other) = (report.Ranked[0], report.Ranked[1]);
        Assert.True(best.Distance.Total < other.Distance.Total, $"distances {best.Distance} and {other.Distance}");
        Assert.True(best.Score > other.Score, $"accuracies {best.Score} and {other.Score}");
        // Far above chance (0.1): a model whose training diverged scores about 0.1 and may still rank first.
        Assert.True(best.Score >= 0.6, $"the fashion model's accuracy {best.Score} is near chance: its training failed");
        Assert.Equal(1000, best.Evaluation!.Samples);
        Assert.Equal(fashionModel.Metadata.Hash, best.Metadata.Hash);
    }

    private static async Task<DatasetVersion<ImageData, ClassData>> PublishAsync(string destination, string name,
        Batch<ImageData, ClassData> train, Batch<ImageData, ClassData> test, CancellationToken ct)
    {
        var published = await new DatasetBuilder<ImageData, ClassData>(name)
            .AddSplit(DataSplit.Train, train)
            .AddSplit(DataSplit.Test, test)
            .PublishAsync(destination, "v1", ct);
        return await DatasetVersion.OpenAsync<ImageData, ClassData>(published.Path, cancellationToken: ct);
    }

    /// <summary>A small CNN, two epochs in batches of 32 (about 200–250 steps), evaluated and published.</summary>
    private static async Task<PublishedModelVersion> TrainAndPublishAsync(DatasetVersion<ImageData, ClassData> dataset, string destination, string version,
        string tracking, CancellationToken ct)
    {
        var model = ConvClassifier.Create(new ConvClassifier.Hyperparameters(Channels: 4, Seed: 7));
        var history = new TrainingHistory();
        await dataset.TrainAsync(model, new TrainOptions { Epochs = 2, BatchSize = 32, ShuffleSeed = 1 }, history, ct);
        var evaluation = await dataset.EvaluateAsync(model, cancellationToken: ct);
        return await ModelVersion.PublishAsync(destination, model, dataset, history, evaluation,
            options: new ModelPublishOptions { Version = version, Tracking = tracking }, cancellationToken: ct);
    }

    private static Batch<ImageData, ClassData> Slice(Batch<ImageData, ClassData> batch, int start, int count)
        => new(batch.Inputs.Slice(start, count), batch.Targets.Slice(start, count));
}
