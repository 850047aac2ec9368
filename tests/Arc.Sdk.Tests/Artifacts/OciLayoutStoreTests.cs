using System.Text.Json;
using Arc.Artifacts;
using Arc.Sdk.Tests.Support;

namespace Arc.Sdk.Tests.Artifacts;

/// <summary>The store contract on an OCI image layout, plus what is particular to the layout on disk.</summary>
public sealed class OciLayoutStoreTests : ArtifactStoreContractTests, IDisposable
{
    private readonly string _root = TestScratch.Create().FullName;

    protected override IArtifactStore NewStore() => new OciLayoutStore(Path.Combine(_root, Guid.NewGuid().ToString("N")));

    protected override string StoredBlobPath(IArtifactStore store, OciDigest digest) => ((OciLayoutStore)store).BlobPath(digest);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Layout_on_disk_follows_the_OCI_image_layout_spec()
    {
        using var store = (OciLayoutStore)NewStore();
        var prepared = await ArtifactTestData.Sample(seed: 21).PrepareAsync(Ct);
        await store.PushAsync(prepared, "model-x-" + prepared.Digest.Short(), Ct);

        using var layout = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(store.Root, "oci-layout"), Ct));
        Assert.Equal("1.0.0", layout.RootElement.GetProperty("imageLayoutVersion").GetString());

        using var index = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(store.Root, "index.json"), Ct));
        Assert.Equal(2, index.RootElement.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(OciMediaTypes.ImageIndex, index.RootElement.GetProperty("mediaType").GetString());
        var entry = Assert.Single(index.RootElement.GetProperty("manifests").EnumerateArray());
        Assert.Equal(OciMediaTypes.ImageManifest, entry.GetProperty("mediaType").GetString());
        Assert.Equal(prepared.Digest.ToString(), entry.GetProperty("digest").GetString());
        Assert.Equal(prepared.ManifestBytes.Length, entry.GetProperty("size").GetInt64());
        Assert.Equal(ArtifactTestData.ArtifactType, entry.GetProperty("artifactType").GetString());
        Assert.Equal("model-x-" + prepared.Digest.Short(), entry.GetProperty("annotations").GetProperty(OciAnnotations.RefName).GetString());

        // Every blob, the manifest included, is a file named by its hex digest holding exactly its bytes.
        var expected = prepared.Manifest.Blobs.Select(blob => blob.Digest.Hex).Append(prepared.Digest.Hex).Order().ToArray();
        var files = Directory.GetFiles(Path.Combine(store.Root, "blobs", "sha256")).Select(Path.GetFileName).Order().ToArray();
        Assert.Equal(expected, files);
        Assert.Equal(prepared.ManifestBytes.ToArray(), await File.ReadAllBytesAsync(store.BlobPath(prepared.Digest), Ct));
        Assert.Empty(Directory.GetFiles(Path.Combine(store.Root, ".tmp")));

        using var manifest = JsonDocument.Parse(prepared.ManifestBytes);
        Assert.Equal(2, manifest.RootElement.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(OciMediaTypes.ImageManifest, manifest.RootElement.GetProperty("mediaType").GetString());
    }

    [Fact]
    public async Task Concurrent_pushes_into_one_layout_keep_every_tag_and_one_copy_of_each_blob()
    {
        string directory = Path.Combine(_root, "shared");
        var prepared = await ArtifactTestData.Sample(seed: 31).PrepareAsync(Ct);
        var tags = Enumerable.Range(0, 12).Select(i => $"t{i}").ToArray();

        // A store per push, as separate callers (or processes) would have.
        await Task.WhenAll(tags.Select(tag => Task.Run(() => new OciLayoutStore(directory).PushAsync(prepared, tag, Ct), Ct)));

        using var store = new OciLayoutStore(directory);
        Assert.Equal(tags.Order(StringComparer.Ordinal), await store.ListTagsAsync(Ct));
        foreach (var tag in tags) Assert.Equal(prepared.Digest, await store.ResolveAsync(tag, Ct));
        Assert.Equal(prepared.Manifest.Blobs.Count() + 1, Directory.GetFiles(Path.Combine(directory, "blobs", "sha256")).Length);
        Assert.Empty(Directory.GetFiles(Path.Combine(directory, ".tmp")));
    }

    [Fact]
    public async Task A_directory_without_a_layout_is_named_in_the_error()
    {
        string missing = Path.Combine(_root, "nothing-here");
        using var store = new OciLayoutStore(missing);

        var error = await Assert.ThrowsAsync<ArtifactNotFoundException>(() => store.PullManifestAsync("v1", Ct));

        Assert.Contains(missing, error.Message);
        Assert.Contains("oci-layout", error.Message);
        Assert.Empty(await store.ListTagsAsync(Ct));
    }

    [Fact]
    public async Task A_manifest_whose_blobs_are_missing_is_refused()
    {
        using var store = NewStore();
        var prepared = await ArtifactTestData.Sample(seed: 41).PrepareAsync(Ct);

        var error = await Assert.ThrowsAsync<ArtifactNotFoundException>(() => store.PushManifestAsync(prepared.ManifestBytes, "v1", Ct));

        Assert.Contains("push blobs first", error.Message);
        Assert.Empty(await store.ListTagsAsync(Ct));
    }

    [Fact]
    public async Task A_corrupt_index_is_a_format_error_naming_the_file()
    {
        using var store = (OciLayoutStore)NewStore();
        await store.PushAsync(await ArtifactTestData.Sample(seed: 51).PrepareAsync(Ct), "v1", Ct);
        string index = Path.Combine(store.Root, "index.json");
        await File.WriteAllTextAsync(index, """{"schemaVersion":2,"manifests":[{"mediaType":"x","digest":"sha256:../../etc/passwd","size":1}]}""", Ct);

        var error = await Assert.ThrowsAsync<ArtifactFormatException>(() => store.ResolveAsync("v1", Ct));

        Assert.Contains(index, error.Message);
        Assert.Contains("manifests[0].digest", error.Message);
    }

    [Fact]
    public async Task The_layout_reference_form_opens_the_layout_store()
    {
        using var store = (OciLayoutStore)NewStore();
        var prepared = await ArtifactTestData.Sample(seed: 61).PrepareAsync(Ct);
        var reference = await store.PushAsync(prepared, "v1", Ct);

        var parsed = ArtifactReference.Parse(reference.ToString());
        var pulled = await ArtifactStores.PullManifestAsync(parsed, cancellationToken: Ct);

        Assert.Equal($"oci-layout:{store.Repository.Repository}:v1", reference.ToString());
        Assert.Equal(prepared.Digest, pulled.Digest);
    }
}
