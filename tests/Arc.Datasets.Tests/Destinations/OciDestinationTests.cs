using Arc.Artifacts;
using Arc.Datasets.Tests.Support;
using Arc.Sdk;
using Arc.Sdk.Tests.Artifacts;
using Arc.Types;

namespace Arc.Datasets.Tests.Destinations;

/// <summary>
/// Publishing to and opening from <c>oci://host/repository</c> against Debian's docker-registry on 127.0.0.1, through
/// Arc's OCI artifact store: one artifact per version, a layer per file, the tag pushed last; a tampered blob is
/// refused and the version stays in the registry.
/// </summary>
[Collection(RemoteDestinationsCollection.Name)]
public sealed class OciDestinationTests(DockerRegistryFixture registry)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly string _repository = $"team{Guid.NewGuid():N}/datasets";

    private string Destination => $"oci://{registry.Registry}/{_repository}";

    private static DatasetBuilder<TextData, LabelData> Texts() => new DatasetBuilder<TextData, LabelData>("fortunes")
        .AddSplit(DataSplit.Train, SampleData.Texts(20))
        .AddSplit(DataSplit.Validation, SampleData.Texts(4, first: 90));

    [Fact]
    public async Task A_version_published_to_a_registry_is_one_artifact_and_opens_with_the_same_data()
    {
        var transfersBefore = TransferFolders.Held();
        var published = await Texts().PublishAsync(Destination, "v1", Ct);

        Assert.Equal($"{Destination}/fortunes:v1", published.Path);
        Assert.Equal(transfersBefore, TransferFolders.Held());
        var manifest = await ArtifactStores.PullManifestAsync(ArtifactReference.Parse($"{registry.Registry}/{_repository}/fortunes:v1"), cancellationToken: Ct);
        Assert.Equal("application/vnd.arc.dataset.v1", manifest.Manifest.ArtifactType);
        Assert.Equal(["X_train.npy", "X_val.npy", "meta.json", "y_train.npy", "y_val.npy"],
            manifest.Manifest.Layers.Select(l => l.Title!).Order(StringComparer.Ordinal));

        using var scratch = new Scratch();
        var local = await Texts().PublishAsync(scratch.Path, "v1", Ct);
        Assert.Equal(local.Metadata.Hash, published.Metadata.Hash);

        using var version = await DatasetVersion.OpenAsync<TextData, LabelData>(published.Path, cancellationToken: Ct);
        Assert.Equal(published.Metadata.Hash, version.Metadata.Hash);
        var expected = SampleData.Texts(20);
        var train = await SampleData.ReadAllAsync(version, DataSplit.Train);
        Assert.True(expected.Inputs.ContentEquals(train.Inputs), "texts");
        Assert.True(expected.Targets.ContentEquals(train.Targets), "labels");
    }

    [Fact]
    public async Task A_published_version_is_not_published_again()
    {
        var first = await Texts().PublishAsync(Destination, "v1", Ct);
        var digest = (await ArtifactStores.PullManifestAsync(ArtifactReference.Parse($"{registry.Registry}/{_repository}/fortunes:v1"), cancellationToken: Ct)).Digest;

        var other = new DatasetBuilder<TextData, LabelData>("fortunes").AddSplit(DataSplit.Train, SampleData.Texts(3, first: 40));
        var error = await Assert.ThrowsAsync<DatasetVersionExistsException>(() => other.PublishAsync(Destination, "v1", Ct));
        Assert.Equal(first.Path, error.Path);
        Assert.Equal(digest, (await ArtifactStores.PullManifestAsync(ArtifactReference.Parse($"{registry.Registry}/{_repository}/fortunes:v1"), cancellationToken: Ct)).Digest);
    }

    [Fact]
    public async Task A_tampered_blob_is_refused_and_the_version_stays_in_the_registry()
    {
        // Data of its own: the registry keeps one copy of equal blobs for all repositories, and this test damages it.
        var published = await new DatasetBuilder<TextData, LabelData>("fortunes").AddSplit(DataSplit.Train, SampleData.Texts(20, first: 1000))
            .PublishAsync(Destination, "v1", Ct);
        var manifest = await ArtifactStores.PullManifestAsync(ArtifactReference.Parse($"{registry.Registry}/{_repository}/fortunes:v1"), cancellationToken: Ct);
        var layer = manifest.Manifest.FindLayer("X_train.npy")!;
        string blob = registry.BlobDataPath(layer.Digest.Hex);
        var bytes = await File.ReadAllBytesAsync(blob, Ct);
        bytes[^1] ^= 0x01;
        await File.WriteAllBytesAsync(blob, bytes, Ct);
        var transfersBefore = TransferFolders.Held();

        var error = await Assert.ThrowsAsync<ArtifactIntegrityException>(() => DatasetVersion.OpenAsync<TextData, LabelData>(published.Path, cancellationToken: Ct));
        Assert.Contains(layer.Digest.ToString(), error.Message);
        Assert.Equal(transfersBefore, TransferFolders.Held());
        Assert.Equal(manifest.Digest, (await ArtifactStores.PullManifestAsync(ArtifactReference.Parse($"{registry.Registry}/{_repository}/fortunes:v1"), cancellationToken: Ct)).Digest);
    }

    [Fact]
    public async Task A_version_of_other_types_is_refused_by_its_remote_meta_json_and_leaves_no_download()
    {
        var published = await Texts().PublishAsync(Destination, "v1", Ct);
        var transfersBefore = TransferFolders.Held();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => DatasetVersion.OpenAsync<ImageData, ClassData>(published.Path, cancellationToken: Ct));
        Assert.StartsWith($"{published.Path}/meta.json: dataset fortunes:v1 holds text → label data", error.Message);
        Assert.Equal(transfersBefore, TransferFolders.Held());
    }

    [Fact]
    public async Task A_tag_that_is_not_there_says_so()
    {
        var error = await Assert.ThrowsAsync<DirectoryNotFoundException>(() => DatasetVersion.OpenAsync<TextData, LabelData>($"{Destination}/fortunes:v7", cancellationToken: Ct));
        Assert.Contains($"{Destination}/fortunes:v7", error.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => DatasetVersion.OpenAsync<TextData, LabelData>(Destination, cancellationToken: Ct));
    }
}
