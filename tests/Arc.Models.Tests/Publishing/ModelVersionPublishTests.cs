using System.Security.Cryptography;
using System.Text.Json;
using Arc.Datasets;
using Arc.Sdk;
using Arc.Torch;
using Arc.Tracking;
using Arc.Tracking.Server;
using Arc.Types;

namespace Arc.Models.Tests;

public sealed class ModelVersionPublishTests
{
    [Fact]
    public async Task Publish_writes_the_weights_and_a_meta_json_that_links_the_dataset_version()
    {
        using var folder = new TemporaryFolder();
        using var dataset = await SmallData.PublishAsync(folder["datasets"], "noise", seed: 1);
        var model = SmallData.Model(seed: 3);
        var history = new TrainingHistory();
        await dataset.TrainAsync(model, new TrainOptions { Epochs = 2, BatchSize = 16 }, history, TestContext.Current.CancellationToken);
        var evaluation = await dataset.EvaluateAsync(model, cancellationToken: TestContext.Current.CancellationToken);

        var published = await ModelVersion.PublishAsync(folder["models"], model, dataset, history, evaluation, ["prototype"],
            new ModelPublishOptions { Version = "v1" }, TestContext.Current.CancellationToken);

        Assert.Equal(Path.Combine(folder["models"], model.Name, "v1"), published.Folder);
        Assert.Equal(["meta.json", "model.weights"], Directory.GetFiles(published.Folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Null(published.Registered);
        var weights = await File.ReadAllBytesAsync(Path.Combine(published.Folder, "model.weights"), TestContext.Current.CancellationToken);
        string sha = Convert.ToHexStringLower(SHA256.HashData(weights));

        var meta = await ModelVersion.ReadMetadataAsync(published.Folder, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(1, meta.FormatVersion);
        Assert.Equal((model.Name, "v1"), (meta.Name, meta.Version));
        Assert.Equal(["prototype"], meta.Tags);
        Assert.Equal(typeof(Arc.Samples.Mnist.ConvClassifier).FullName, meta.ModelType);
        Assert.Equal(2L, meta.Hyperparameters["channels"]);
        Assert.Equal(3L, meta.Hyperparameters["seed"]);
        Assert.Equal(("sha256", sha), (meta.Hash.Algorithm, meta.Hash.Value));
        Assert.Equal(new ModelFile("model.weights", weights.Length, sha), meta.Weights);
        Assert.Equal(new ModelDatasetLink("noise", "v1", dataset.Metadata.Hash.Value, null, null), meta.Dataset);
        Assert.Equal("image", meta.X.Type);
        Assert.Equal([1, 28, 28], meta.X.Shape!);
        Assert.Equal("class", meta.Y.Type);
        Assert.Equal(Arc.Samples.Mnist.MnistDigits.ClassNames, meta.Y.Names!);
        Assert.Equal([1, 2], meta.History.Select(h => h.Epoch));
        Assert.Equal([4L, 4L], meta.History.Select(h => h.Steps)); // 64 samples in batches of 16
        Assert.All(meta.History, h => Assert.True(double.IsFinite(h.Loss) && h.Loss > 0));
        Assert.Equal(evaluation.Metrics["accuracy"], meta.Evaluation!.Metrics["accuracy"]);
        Assert.Equal((DataSplit.Test, 32), (meta.Evaluation.Split, meta.Evaluation.Samples));
        Assert.Equal(DataSplit.Train, meta.TrainingData.Split);
        Assert.Equal(64, meta.TrainingData.Statistics.Samples);

        // meta.json is plain JSON with the members the docs name.
        using var json = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(published.Folder, "meta.json"), TestContext.Current.CancellationToken));
        Assert.Equal(dataset.Metadata.Hash.Value, json.RootElement.GetProperty("dataset").GetProperty("hash").GetProperty("value").GetString());
        Assert.Equal(sha, json.RootElement.GetProperty("hash").GetProperty("value").GetString());
    }

    [Fact]
    public async Task The_training_statistics_are_the_moments_histogram_and_class_counts_of_the_train_split()
    {
        using var folder = new TemporaryFolder();
        using var dataset = await SmallData.PublishAsync(folder["datasets"], "noise", seed: 5);
        var published = await ModelVersion.PublishAsync(folder["models"], SmallData.Model(seed: 1), dataset, cancellationToken: TestContext.Current.CancellationToken);

        // Recomputed here, plainly, from the batch the dataset was published from.
        var train = SmallData.Images(64, seed: 5);
        var values = train.Inputs.Pixels.ToArray<float>().Select(v => (double)v).ToArray();
        double mean = values.Average(), std = Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Average());
        double min = values.Min(), max = values.Max();
        var counts = new long[16];
        foreach (double v in values) counts[Math.Min(15, (int)((v - min) / (max - min) * 16))]++;

        var statistics = published.Metadata.TrainingData.Statistics;
        var channel = Assert.Single(statistics.Features);
        Assert.Equal("channel 0", channel.Name);
        Assert.Equal(values.Length, channel.Count);
        Assert.Equal(mean, channel.Mean, 9);
        Assert.Equal(std, channel.Std, 9);
        Assert.Equal((min, max), (channel.Min, channel.Max));
        Assert.Equal((min, max, 0L, 0L), (channel.Histogram.Low, channel.Histogram.High, channel.Histogram.Below, channel.Histogram.Above));
        Assert.Equal(counts, channel.Histogram.Counts);
        Assert.Equal(Enumerable.Repeat(0L, 10).Select((_, c) => (long)Enumerable.Range(0, 64).Count(i => i % 10 == c)), statistics.Classes!.Counts);

        // And they survive meta.json.
        var read = await ModelVersion.ReadMetadataAsync(published.Folder, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(channel with { Histogram = null! }, read.TrainingData.Statistics.Features[0] with { Histogram = null! });
        Assert.Equal(counts, read.TrainingData.Statistics.Features[0].Histogram.Counts);
    }

    [Fact]
    public async Task A_version_is_published_once_and_the_default_version_is_the_time()
    {
        using var folder = new TemporaryFolder();
        using var dataset = await SmallData.PublishAsync(folder["datasets"], "noise", seed: 1);
        var model = SmallData.Model(seed: 1);
        var options = new ModelPublishOptions { Version = "v1" };
        await ModelVersion.PublishAsync(folder["models"], model, dataset, options: options, cancellationToken: TestContext.Current.CancellationToken);
        await Assert.ThrowsAsync<ModelVersionExistsException>(
            () => ModelVersion.PublishAsync(folder["models"], model, dataset, options: options, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(["v1"], Directory.GetFileSystemEntries(Path.Combine(folder["models"], model.Name)).Select(Path.GetFileName));

        var timed = await ModelVersion.PublishAsync(folder["models"], model, dataset, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Matches(@"^\d{8}-\d{6}-\d{7}$", timed.Metadata.Version);
    }

    [Fact]
    public async Task With_a_tracking_destination_the_version_is_registered_with_its_dataset_lineage_and_files()
    {
        using var folder = new TemporaryFolder();
        using var dataset = await SmallData.PublishAsync(folder["datasets"], "noise", seed: 1);
        var model = SmallData.Model(seed: 1);
        var evaluation = await dataset.EvaluateAsync(model, cancellationToken: TestContext.Current.CancellationToken);
        string tracking = "file:" + folder["tracking"];
        var published = await ModelVersion.PublishAsync(folder["models"], model, dataset, evaluation: evaluation, tags: ["prototype"],
            options: new ModelPublishOptions { Version = "v1", Tracking = tracking, TrackingNamespace = "vision" }, cancellationToken: TestContext.Current.CancellationToken);

        var registered = published.Registered!;
        Assert.Equal(("vision", 1), (registered.Namespace, registered.Number));
        await using var connection = await TrackingConnection.OpenAsync(tracking, TestContext.Current.CancellationToken);
        var version = await connection.Store.GetModelVersionAsync(registered.VersionId, TestContext.Current.CancellationToken);
        var registeredModel = await connection.Store.GetModelAsync(version.ModelId, TestContext.Current.CancellationToken);
        Assert.Equal(model.Name, registeredModel.Name);
        var lineage = version.Lineage.Dataset!;
        Assert.Equal(("noise", "v1", "sha256:" + dataset.Metadata.Hash.Value), (lineage.Name, lineage.Version, lineage.Hash));
        Assert.Equal(evaluation.Metrics["accuracy"], version.Metrics["eval/test/accuracy"]);
        Assert.Equal("", version.Labels["prototype"]);
        var files = await connection.Store.ListFilesAsync(FileOwner.ModelVersion(version.Id), TestContext.Current.CancellationToken);
        Assert.Equal(["meta.json", "model.weights"], files.Select(f => f.File.Name).Order(StringComparer.Ordinal));
        Assert.Equal(published.Metadata.Weights.Sha256, files.Single(f => f.File.Name == "model.weights").File.Sha256);

        // The registered version is complete by itself: its meta.json reads back from tracking.
        var meta = await ModelVersion.ReadMetadataAsync(connection, version, TestContext.Current.CancellationToken);
        Assert.Equal(published.Metadata.Hash, meta.Hash);

        // A second publish is version 2 of the same registered model.
        var second = await ModelVersion.PublishAsync(folder["models"], model, dataset,
            options: new ModelPublishOptions { Version = "v2", Tracking = tracking, TrackingNamespace = "vision" }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal((registered.ModelId, 2), (second.Registered!.ModelId, second.Registered.Number));
    }

    [Fact]
    public async Task Loading_puts_the_published_weights_into_a_new_model_from_the_folder_or_from_tracking()
    {
        using var folder = new TemporaryFolder();
        using var dataset = await SmallData.PublishAsync(folder["datasets"], "noise", seed: 1);
        var trained = SmallData.Model(seed: 1);
        await dataset.TrainAsync(trained, new TrainOptions { Epochs = 1, BatchSize = 16 }, cancellationToken: TestContext.Current.CancellationToken);
        string tracking = "file:" + folder["tracking"];
        var published = await ModelVersion.PublishAsync(folder["models"], trained, dataset,
            options: new ModelPublishOptions { Version = "v1", Tracking = tracking }, cancellationToken: TestContext.Current.CancellationToken);
        var probe = SmallData.Images(8, seed: 99).Inputs;
        var expected = (await trained.PredictAsync(probe, TestContext.Current.CancellationToken)).Scores!.ToArray<float>();

        var fromFolder = SmallData.Model(seed: 2);
        Assert.NotEqual(expected, (await fromFolder.PredictAsync(probe, TestContext.Current.CancellationToken)).Scores!.ToArray<float>());
        await ModelVersion.LoadAsync(published.Folder, fromFolder, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(expected, (await fromFolder.PredictAsync(probe, TestContext.Current.CancellationToken)).Scores!.ToArray<float>());

        await using var connection = await TrackingConnection.OpenAsync(tracking, TestContext.Current.CancellationToken);
        var version = await connection.Store.GetModelVersionAsync(published.Registered!.VersionId, TestContext.Current.CancellationToken);
        var fromTracking = SmallData.Model(seed: 2);
        await ModelVersion.LoadAsync(connection, version, fromTracking, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(expected, (await fromTracking.PredictAsync(probe, TestContext.Current.CancellationToken)).Scores!.ToArray<float>());
    }

    [Fact]
    public async Task Changed_weights_are_refused_and_the_model_keeps_its_own()
    {
        using var folder = new TemporaryFolder();
        using var dataset = await SmallData.PublishAsync(folder["datasets"], "noise", seed: 1);
        var published = await ModelVersion.PublishAsync(folder["models"], SmallData.Model(seed: 1), dataset, cancellationToken: TestContext.Current.CancellationToken);
        string weights = Path.Combine(published.Folder, "model.weights");
        var bytes = await File.ReadAllBytesAsync(weights, TestContext.Current.CancellationToken);
        bytes[^1] ^= 0xff;
        await File.WriteAllBytesAsync(weights, bytes, TestContext.Current.CancellationToken);

        var model = SmallData.Model(seed: 2);
        var probe = SmallData.Images(4, seed: 9).Inputs;
        var before = (await model.PredictAsync(probe, TestContext.Current.CancellationToken)).Scores!.ToArray<float>();
        var error = await Assert.ThrowsAsync<ModelHashMismatchException>(
            () => ModelVersion.LoadAsync(published.Folder, model, cancellationToken: TestContext.Current.CancellationToken));
        Assert.StartsWith(weights, error.Message);
        Assert.Contains("the weights changed after publishing", error.Message);
        Assert.Equal(before, (await model.PredictAsync(probe, TestContext.Current.CancellationToken)).Scores!.ToArray<float>());
    }

    [Fact]
    public async Task A_forged_weights_path_in_meta_json_never_reaches_the_file_system()
    {
        using var folder = new TemporaryFolder();
        using var dataset = await SmallData.PublishAsync(folder["datasets"], "noise", seed: 1);
        var published = await ModelVersion.PublishAsync(folder["models"], SmallData.Model(seed: 1), dataset, cancellationToken: TestContext.Current.CancellationToken);
        string meta = Path.Combine(published.Folder, "meta.json");
        var text = await File.ReadAllTextAsync(meta, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(meta, text.Replace("\"path\": \"model.weights\"", "\"path\": \"../../../etc/passwd\""), TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<ModelVersionFormatException>(
            () => ModelVersion.LoadAsync(published.Folder, SmallData.Model(seed: 2), cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal($"{meta}: weights.path is '../../../etc/passwd'; a model version's weights are model.weights", error.Message);
    }

    [Fact]
    public async Task A_bad_tracking_destination_or_tag_is_refused_before_anything_is_written()
    {
        using var folder = new TemporaryFolder();
        using var dataset = await SmallData.PublishAsync(folder["datasets"], "noise", seed: 1);
        var model = SmallData.Model(seed: 1);
        await Assert.ThrowsAsync<ArgumentException>(() => ModelVersion.PublishAsync(folder["models"], model, dataset,
            options: new() { Tracking = "s3://bucket" }, cancellationToken: TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<ArgumentException>(() => ModelVersion.PublishAsync(folder["models"], model, dataset, tags: ["not a key"],
            options: new() { Tracking = "file:" + folder["tracking"] }, cancellationToken: TestContext.Current.CancellationToken));
        Assert.False(Directory.Exists(folder["models"]));
    }

    [Fact]
    public async Task A_meta_json_of_an_unknown_format_version_is_refused_by_name()
    {
        using var folder = new TemporaryFolder();
        using var dataset = await SmallData.PublishAsync(folder["datasets"], "noise", seed: 1);
        var published = await ModelVersion.PublishAsync(folder["models"], SmallData.Model(seed: 1), dataset, cancellationToken: TestContext.Current.CancellationToken);
        string meta = Path.Combine(published.Folder, "meta.json");
        var text = await File.ReadAllTextAsync(meta, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(meta, text.Replace("\"format_version\": 1", "\"format_version\": 7"), TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<ModelVersionFormatException>(() => ModelVersion.ReadMetadataAsync(published.Folder, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal($"{meta}: is model meta.json format version 7, newer than this Arc reads (1): update Arc to open it", error.Message);
    }
}
