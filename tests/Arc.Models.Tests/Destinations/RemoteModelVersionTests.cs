using Amazon.S3.Model;
using Arc.Artifacts;
using Arc.Datasets;
using Arc.Sdk.Tests.Artifacts;
using Arc.Tracking.Tests;
using Arc.Types;

namespace Arc.Models.Tests;

/// <summary>
/// Model versions published to and loaded from <c>s3://</c> (s3rver) and <c>oci://</c> (docker-registry), real servers
/// on 127.0.0.1, through the same locations and transfers as dataset versions: the weights come back byte for byte,
/// a version is published once, and changed weights are refused by their remote name.
/// </summary>
[Collection(RemoteDestinationsCollection.Name)]
public sealed class RemoteModelVersionTests(S3rverFixture s3, DockerRegistryFixture registry)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly string _prefix = $"models-{Guid.NewGuid():N}";

    private VersionStorageOptions Storage => new()
    {
        S3ServiceUrl = s3.ServiceUrl, S3AccessKeyId = S3rverFixture.AccessKeyId, S3SecretAccessKey = S3rverFixture.SecretAccessKey,
    };

    [Fact]
    public async Task A_model_version_published_to_S3_loads_back_its_weights_and_is_published_once()
    {
        using var folder = new TemporaryFolder();
        using var dataset = await SmallData.PublishAsync(folder["datasets"], "noise", seed: 1);
        var model = SmallData.Model(seed: 3);
        string destination = $"s3://{S3rverFixture.Bucket}/{_prefix}";

        var published = await ModelVersion.PublishAsync(destination, model, dataset, tags: ["remote"],
            options: new ModelPublishOptions { Version = "v1", Storage = Storage }, cancellationToken: Ct);

        Assert.Equal($"{destination}/{model.Name}/v1", published.Folder);
        Assert.Equal([$"{_prefix}/{model.Name}/v1/meta.json", $"{_prefix}/{model.Name}/v1/model.weights"], s3.KeysUnder(_prefix + "/").Order(StringComparer.Ordinal));
        await AssertLoadsTheSameWeightsAsync(published.Folder, model, published.Metadata);

        var again = await Assert.ThrowsAsync<ModelVersionExistsException>(() => ModelVersion.PublishAsync(destination, SmallData.Model(seed: 4), dataset,
            options: new ModelPublishOptions { Version = "v1", Storage = Storage }, cancellationToken: Ct));
        Assert.Equal(published.Folder, again.Path);
        await AssertLoadsTheSameWeightsAsync(published.Folder, model, published.Metadata);
    }

    [Fact]
    public async Task Weights_changed_in_S3_are_refused_by_their_S3_name()
    {
        using var folder = new TemporaryFolder();
        using var dataset = await SmallData.PublishAsync(folder["datasets"], "noise", seed: 1);
        var model = SmallData.Model(seed: 3);
        var published = await ModelVersion.PublishAsync($"s3://{S3rverFixture.Bucket}/{_prefix}", model, dataset,
            options: new ModelPublishOptions { Version = "v1", Storage = Storage }, cancellationToken: Ct);
        string key = $"{_prefix}/{model.Name}/v1/model.weights";
        var weights = await File.ReadAllBytesAsync(s3.ObjectPath(key), Ct);
        weights[^1] ^= 0x10; // same size, through S3 itself: only meta.json's SHA-256 can tell
        using (var client = S3Clients.Create(Storage))
        using (var body = new MemoryStream(weights))
            await client.PutObjectAsync(new PutObjectRequest { BucketName = S3rverFixture.Bucket, Key = key, InputStream = body, UseChunkEncoding = false }, Ct);

        var before = SmallData.Model(seed: 9);
        var target = SmallData.Model(seed: 9);
        var error = await Assert.ThrowsAsync<ModelHashMismatchException>(() => ModelVersion.LoadAsync(published.Folder, target, storage: Storage, cancellationToken: Ct));
        Assert.StartsWith($"{published.Folder}/model.weights", error.Message);
        Assert.Equal(await WeightsOfAsync(before), await WeightsOfAsync(target)); // the model was left as it was
    }

    [Fact]
    public async Task A_model_version_published_to_a_registry_is_one_artifact_and_loads_back_its_weights()
    {
        using var folder = new TemporaryFolder();
        using var dataset = await SmallData.PublishAsync(folder["datasets"], "noise", seed: 1);
        var model = SmallData.Model(seed: 5);
        string destination = $"oci://{registry.Registry}/{_prefix}";

        var published = await ModelVersion.PublishAsync(destination, model, dataset, options: new ModelPublishOptions { Version = "v1" }, cancellationToken: Ct);

        Assert.Equal($"{destination}/{model.Name.ToLowerInvariant()}:v1", published.Folder);
        var manifest = await ArtifactStores.PullManifestAsync(ArtifactReference.Parse(published.Folder["oci://".Length..]), cancellationToken: Ct);
        Assert.Equal("application/vnd.arc.model-version.v1", manifest.Manifest.ArtifactType);
        Assert.Equal(["meta.json", "model.weights"], manifest.Manifest.Layers.Select(l => l.Title!).Order(StringComparer.Ordinal));
        await AssertLoadsTheSameWeightsAsync(published.Folder, model, published.Metadata);

        await Assert.ThrowsAsync<ModelVersionExistsException>(() => ModelVersion.PublishAsync(destination, SmallData.Model(seed: 6), dataset,
            options: new ModelPublishOptions { Version = "v1" }, cancellationToken: Ct));
        var candidate = ModelCandidate<ImageData, ClassData>.Published(published.Folder, _ => SmallData.Model(seed: 7));
        Assert.Equal(published.Folder, candidate.Description);
    }

    [Fact]
    public async Task A_model_version_published_to_S3_is_registered_in_tracking_from_the_staged_files()
    {
        using var folder = new TemporaryFolder();
        using var dataset = await SmallData.PublishAsync(folder["datasets"], "noise", seed: 1);
        var model = SmallData.Model(seed: 8);
        string tracking = "file:" + folder["tracking"];

        var published = await ModelVersion.PublishAsync($"s3://{S3rverFixture.Bucket}/{_prefix}", model, dataset,
            options: new ModelPublishOptions { Version = "v1", Storage = Storage, Tracking = tracking }, cancellationToken: Ct);

        await using var connection = await Arc.Tracking.Server.TrackingConnection.OpenAsync(tracking, Ct);
        var version = await connection.Store.GetModelVersionAsync(published.Registered!.VersionId, Ct);
        var meta = await ModelVersion.ReadMetadataAsync(connection, version, Ct);
        Assert.Equal(published.Metadata.Hash, meta.Hash);
        var loaded = SmallData.Model(seed: 12);
        await ModelVersion.LoadAsync(connection, version, loaded, cancellationToken: Ct);
        Assert.Equal(await WeightsOfAsync(model), await WeightsOfAsync(loaded));
        Assert.Empty(Directory.GetDirectories(Path.GetTempPath(), $"arc-transfer-{Environment.ProcessId}-*")); // the staging folder is gone
    }

    private async Task AssertLoadsTheSameWeightsAsync(string uri, Arc.Samples.Mnist.ConvClassifier model, ModelVersionMetadata published)
    {
        var loaded = SmallData.Model(seed: 11);
        Assert.NotEqual(await WeightsOfAsync(model), await WeightsOfAsync(loaded));
        var meta = await ModelVersion.LoadAsync(uri, loaded, storage: Storage, cancellationToken: Ct);
        Assert.Equal(published.Hash, meta.Hash);
        Assert.Equal(await WeightsOfAsync(model), await WeightsOfAsync(loaded));
        Assert.Equal(published.Weights, (await ModelVersion.ReadMetadataAsync(uri, Storage, Ct)).Weights);
    }

    private static async Task<byte[]> WeightsOfAsync(Arc.Samples.Mnist.ConvClassifier model)
    {
        using var buffer = new MemoryStream();
        await model.SaveWeightsAsync(buffer, Ct);
        return buffer.ToArray();
    }
}
