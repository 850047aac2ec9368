using Arc.Artifacts;
using Arc.Sdk;
using Arc.Types;
using Arc.Sdk.Tests.Support;

namespace Arc.Sdk.Tests.Artifacts;

/// <summary>Saving to and connecting from a real docker-registry: the same model, by a registry reference.</summary>
[Collection(DockerRegistryCollection.Name)]
public sealed class SavedModelRegistryTests(DockerRegistryFixture registry) : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly DirectoryInfo _cache = TestScratch.Create();

    private SavedModelOptions Options => new() { CacheDirectory = _cache.FullName };

    [Fact]
    public async Task A_model_saved_to_a_registry_connects_by_reference_and_predicts_the_same()
    {
        using var model = await SavedModelFixture.TrainAsync();
        var repository = ArtifactReference.ForRegistry(registry.Registry, "arc-tests/models");
        var reference = await SavedModelFixture.Registration.SaveAsync(model, SavedModelFixture.Hyperparameters, repository, cancellationToken: Ct);
        Assert.Matches($@"^{registry.Registry}/arc-tests/models:model-workermlp-[0-9a-f]{{12}}$", reference.ToString());

        var images = Remote.RemoteTestData.Images(5, 4, 4, seed: 41).Images;
        await using var connected = await SavedModel.ConnectAsync<ImageData, ClassData>(reference.ToString(), Target.LocalProcess, Options, Ct);
        Assert.Equal(model.Predict(images).Scores!.Bytes.ToArray(), (await connected.PredictAsync(images, Ct)).Scores!.Bytes.ToArray());
    }

    [Fact]
    public async Task A_weights_blob_tampered_in_the_registry_storage_is_refused()
    {
        var repository = ArtifactReference.ForRegistry(registry.Registry, "arc-tests/tampered");
        // Different hyperparameters than the other test, so this weights blob is this test's alone.
        var hyperparameters = new Remote.WorkerMlp.Hyperparameters(Hidden: 3);
        using var small = SavedModelFixture.Registration.Create(hyperparameters);
        var reference = await SavedModelFixture.Registration.SaveAsync(small, hyperparameters, repository, cancellationToken: Ct);
        var config = await SavedModel.InspectAsync(reference, cancellationToken: Ct);
        Assert.Equal(3, config.Parameters!.Value.GetProperty("hidden").GetInt32());

        using var store = new OciRegistryStore(reference.RepositoryOnly);
        var weights = (await store.PullManifestAsync(reference.Tag!, Ct)).Manifest.FindLayer(ArcArtifactTypes.Titles.Weights)!;
        string blob = registry.BlobDataPath(weights.Digest.Hex);
        var bytes = await File.ReadAllBytesAsync(blob, Ct);
        bytes[^1] ^= 0x01;
        await File.WriteAllBytesAsync(blob, bytes, Ct);

        var e = await Assert.ThrowsAsync<ArtifactIntegrityException>(
            () => SavedModel.ConnectAsync<ImageData, ClassData>(reference, Target.LocalProcess, Options, Ct));
        Assert.Equal(weights.Digest, e.Expected);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        _cache.Delete(recursive: true);
        return ValueTask.CompletedTask;
    }
}
