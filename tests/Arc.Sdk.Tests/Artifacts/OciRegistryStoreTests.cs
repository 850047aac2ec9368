using Arc.Artifacts;

namespace Arc.Sdk.Tests.Artifacts;

/// <summary>The store contract against a real docker-registry, plus the registry's own error paths.</summary>
[Collection(DockerRegistryCollection.Name)]
public sealed class OciRegistryStoreTests(DockerRegistryFixture registry) : ArtifactStoreContractTests
{
    private static int _repositories;

    protected override IArtifactStore NewStore() => NewStore(null);

    private OciRegistryStore NewStore(OciRegistryOptions? options)
        => new(ArtifactReference.ForRegistry(registry.Registry, $"arc-tests/repo-{Interlocked.Increment(ref _repositories)}-{Guid.NewGuid():N}"[..40]), options);

    protected override string StoredBlobPath(IArtifactStore store, OciDigest digest) => registry.BlobDataPath(digest.Hex);

    [Fact]
    public async Task Chunked_upload_stores_the_same_blob_as_a_monolithic_one()
    {
        using var store = NewStore(new OciRegistryOptions { MonolithicUploadLimit = 1000, ChunkSize = 700 });
        var content = ArtifactTestData.Bytes(5000, seed: 71);
        var prepared = await new ArtifactContent(ArtifactTestData.ArtifactType)
            .AddLayer("weights.bin", "application/octet-stream", content).PrepareAsync(Ct);

        await store.PushAsync(prepared, "chunked", Ct);

        var pulled = await store.PullManifestAsync("chunked", Ct);
        Assert.Equal(content, await store.ReadBlobAsync(pulled.Manifest.FindLayer("weights.bin")!, cancellationToken: Ct));
        using var plain = new OciRegistryStore(store.Repository);
        Assert.True(await plain.HasBlobAsync(pulled.Manifest.Layers[0].Digest, Ct));
    }

    [Fact]
    public async Task Tag_list_is_complete_and_sorted_even_with_a_small_page_size()
    {
        // A registry that honours ?n= answers in pages linked by Link headers, which the store follows;
        // Debian's docker-registry 2.8 ignores n and answers in one page, so here this checks completeness only.
        using var store = NewStore(new OciRegistryOptions { TagPageSize = 2 });
        var prepared = await ArtifactTestData.Sample(seed: 75).PrepareAsync(Ct);
        var tags = new[] { "e", "a", "d", "b", "c" };
        foreach (var tag in tags) await store.PushAsync(prepared, tag, Ct);

        Assert.Equal(["a", "b", "c", "d", "e"], await store.ListTagsAsync(Ct));
    }

    [Fact]
    public async Task Registry_error_codes_reach_the_exception_with_the_reference()
    {
        using var store = NewStore(null);
        var prepared = await ArtifactTestData.Sample(seed: 81).PrepareAsync(Ct);

        // The blobs were never pushed: the registry refuses the manifest with MANIFEST_BLOB_UNKNOWN.
        var error = await Assert.ThrowsAsync<ArtifactRegistryException>(() => store.PushManifestAsync(prepared.ManifestBytes, "v1", Ct));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal("MANIFEST_BLOB_UNKNOWN", error.ErrorCode);
        Assert.Contains("MANIFEST_BLOB_UNKNOWN", error.Message);
        Assert.Contains(store.Repository.WithTag("v1").ToString(), error.Message);
    }

    [Fact]
    public async Task Content_the_registry_rejects_as_mismatched_reports_DIGEST_INVALID()
    {
        using var store = NewStore(null);
        var claimed = OciDescriptor.For("application/octet-stream", "the real bytes"u8);

        var error = await Assert.ThrowsAsync<ArtifactRegistryException>(() => store.PushBlobAsync(claimed, new MemoryStream("other  bytes!!"u8.ToArray()), Ct));

        Assert.Equal("DIGEST_INVALID", error.ErrorCode);
        Assert.Contains(claimed.Digest.ToString(), error.Message);
    }

    [Fact]
    public async Task An_unreachable_registry_is_a_clear_error_without_a_status()
    {
        int port;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }
        using var store = new OciRegistryStore(ArtifactReference.Parse($"127.0.0.1:{port}/arc/none:v1"));

        var error = await Assert.ThrowsAsync<ArtifactRegistryException>(() => store.ResolveAsync("v1", Ct));

        Assert.Null(error.StatusCode);
        Assert.Contains($"http://127.0.0.1:{port}/", error.Message);
        Assert.Contains("could not be reached", error.Message);
    }

    [Fact]
    public async Task The_registry_reference_form_opens_the_registry_store()
    {
        using var store = NewStore(null);
        var prepared = await ArtifactTestData.Sample(seed: 91).PrepareAsync(Ct);
        var reference = await store.PushAsync(prepared, "model-sample-" + prepared.Digest.Short(), Ct);

        var pulled = await ArtifactStores.PullManifestAsync(ArtifactReference.Parse(reference.ToString()), cancellationToken: Ct);
        var pinned = await ArtifactStores.PullManifestAsync(ArtifactReference.Parse(pulled.Reference.ToString()), cancellationToken: Ct);

        Assert.Equal($"{registry.Registry}/{store.Repository.Repository}:model-sample-{prepared.Digest.Short()}", reference.ToString());
        Assert.Equal(prepared.Digest, pulled.Digest);
        Assert.Equal(prepared.Digest, pinned.Digest);
    }

    [Theory]
    [InlineData("127.0.0.1:5000/a/b", null, "http")]
    [InlineData("localhost:5000/a/b", null, "http")]
    [InlineData("[::1]:5000/a/b", null, "http")]
    [InlineData("registry.example.com/a/b", null, "https")]
    [InlineData("10.1.2.3:5000/a/b", null, "https")]
    [InlineData("registry.example.com/a/b", true, "http")]
    [InlineData("127.0.0.1:5000/a/b", false, "https")]
    public void Plain_HTTP_only_for_loopback_or_registries_marked_insecure(string reference, bool? plainHttp, string scheme)
    {
        using var store = new OciRegistryStore(ArtifactReference.Parse(reference), new OciRegistryOptions { PlainHttp = plainHttp });
        Assert.Equal(scheme, store.RegistryUri.Scheme);
    }
}
