using Arc.Artifacts;
using Arc.Sdk.Tests.Support;

namespace Arc.Sdk.Tests.Artifacts;

/// <summary>
/// What every artifact store must do, run against each real store: round-trips, idempotent pushes, clear
/// not-found errors, and refusal of content that does not match its digest or size.
/// </summary>
public abstract class ArtifactStoreContractTests
{
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A store over a fresh, empty repository.</summary>
    protected abstract IArtifactStore NewStore();

    /// <summary>The file in which <paramref name="store"/> keeps the bytes of <paramref name="digest"/>.</summary>
    protected abstract string StoredBlobPath(IArtifactStore store, OciDigest digest);

    [Fact]
    public async Task Pushed_artifact_pulls_back_by_tag_and_digest_with_every_layer_intact()
    {
        using var store = NewStore();
        var content = ArtifactTestData.Sample(seed: 7);
        var prepared = await content.PrepareAsync(Ct);

        var reference = await store.PushAsync(prepared, "model-sample-" + prepared.Digest.Short(), Ct);

        Assert.Equal(store.Repository.WithTag("model-sample-" + prepared.Digest.Short()), reference);
        Assert.Equal(prepared.Digest, await store.ResolveAsync(reference.Tag!, Ct));
        var byTag = await store.PullManifestAsync(reference.Tag!, Ct);
        var byDigest = await store.PullManifestAsync(prepared.Digest.ToString(), Ct);
        Assert.Equal(prepared.Digest, byTag.Digest);
        Assert.Equal(prepared.ManifestBytes.ToArray(), byTag.Bytes.ToArray());
        Assert.Equal(byTag.Bytes.ToArray(), byDigest.Bytes.ToArray());
        Assert.Equal(store.Repository.WithDigest(prepared.Digest), byTag.Reference);

        var manifest = byTag.Manifest;
        Assert.Equal(prepared.Manifest, manifest);
        Assert.Equal(ArtifactTestData.ArtifactType, manifest.ArtifactType);
        Assert.Equal("sample 7", manifest.Annotations["org.example.note"]);
        Assert.Equal(["weights.bin", "hyperparameters.json"], manifest.Layers.Select(layer => layer.Title));
        Assert.Equal(ArtifactTestData.Bytes(3000, 7), await store.ReadBlobAsync(manifest.FindLayer("weights.bin")!, cancellationToken: Ct));
        Assert.Equal("{\"hidden\":7}"u8.ToArray(), await store.ReadBlobAsync(manifest.FindLayer("hyperparameters.json")!, cancellationToken: Ct));
        Assert.Equal("{\"seed\":7}"u8.ToArray(), await store.ReadBlobAsync(manifest.Config, cancellationToken: Ct));
        Assert.Equal([reference.Tag!], await store.ListTagsAsync(Ct));
    }

    [Fact]
    public async Task A_referrer_is_listed_under_its_subject_with_its_artifact_type_and_annotations_once()
    {
        using var store = NewStore();
        var subject = await ArtifactTestData.Sample(seed: 201).PrepareAsync(Ct);
        var other = await ArtifactTestData.Sample(seed: 202).PrepareAsync(Ct);
        await store.PushAsync(subject, "subject", Ct);
        await store.PushAsync(other, "other", Ct);
        var subjectDescriptor = new OciDescriptor(OciMediaTypes.ImageManifest, subject.Digest, subject.ManifestBytes.Length);
        var note = await new ArtifactContent("application/vnd.example.note.v1").WithSubject(subjectDescriptor)
            .AddLayer("note.txt", "text/plain", "reviewed"u8.ToArray()).Annotate("org.example.by", "alice").PrepareAsync(Ct);
        var stamp = await new ArtifactContent("application/vnd.example.stamp.v1").WithSubject(subjectDescriptor)
            .AddLayer("stamp.txt", "text/plain", "approved"u8.ToArray()).PrepareAsync(Ct);

        Assert.Empty(await store.ListReferrersAsync(subject.Digest, cancellationToken: Ct));
        Assert.Equal(note.Digest, await store.PushReferrerAsync(note, Ct));
        Assert.Equal(note.Digest, await store.PushReferrerAsync(note, Ct));
        await store.PushReferrerAsync(stamp, Ct);

        var all = await store.ListReferrersAsync(subject.Digest, cancellationToken: Ct);
        Assert.Equal(new[] { note.Digest, stamp.Digest }.Select(digest => digest.ToString()).Order(),
            all.Select(referrer => referrer.Digest.ToString()).Order());
        var listed = Assert.Single(await store.ListReferrersAsync(subject.Digest, "application/vnd.example.note.v1", Ct));
        Assert.Equal(OciMediaTypes.ImageManifest, listed.MediaType);
        Assert.Equal(note.ManifestBytes.Length, listed.Size);
        Assert.Equal("application/vnd.example.note.v1", listed.ArtifactType);
        Assert.Equal("alice", listed.Annotations["org.example.by"]);
        Assert.Empty(await store.ListReferrersAsync(other.Digest, cancellationToken: Ct));
        Assert.Empty(await store.ListReferrersAsync(subject.Digest, "application/vnd.example.none.v1", Ct));
        // The referrer itself pulls by digest, verified, with its subject.
        var pulled = await store.PullManifestAsync(note.Digest.ToString(), Ct);
        Assert.Equal(subjectDescriptor, pulled.Manifest.Subject);
        Assert.Equal(note.ManifestBytes.ToArray(), pulled.Bytes.ToArray());
    }

    [Fact]
    public async Task A_manifest_without_a_subject_is_not_accepted_as_a_referrer()
    {
        using var store = NewStore();
        var plain = await ArtifactTestData.Sample(seed: 203).PrepareAsync(Ct);
        await Assert.ThrowsAsync<ArgumentException>(() => store.PushReferrerAsync(plain, Ct));
        var e = await Assert.ThrowsAsync<ArgumentException>(() => store.PushReferrerAsync(plain.ManifestBytes, Ct));
        Assert.Contains("has no subject", e.Message);
    }

    [Fact]
    public async Task Blob_larger_than_the_in_memory_limit_round_trips_from_a_file_layer()
    {
        using var store = NewStore();
        var big = ArtifactTestData.Bytes(20 * 1024 * 1024 + 123, seed: 3);
        string directory = TestScratch.Create().FullName;
        string path = Path.Combine(directory, "weights.bin");
        await File.WriteAllBytesAsync(path, big, Ct);
        var prepared = await new ArtifactContent(ArtifactTestData.ArtifactType)
            .AddFileLayer("weights.bin", "application/octet-stream", path).PrepareAsync(Ct);

        await store.PushAsync(prepared, "big", Ct);

        var pulled = await store.PullManifestAsync("big", Ct);
        await using var stream = await store.OpenLayerAsync(pulled, "weights.bin", Ct);
        Assert.False(stream.CanWrite);
        Assert.Equal(big.Length, stream.Length);
        var back = new byte[big.Length];
        await stream.ReadExactlyAsync(back, Ct);
        Assert.Equal(0, await stream.ReadAsync(new byte[1], Ct));
        Assert.True(big.AsSpan().SequenceEqual(back));
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Pushing_the_same_content_twice_gives_the_same_digest_and_one_tag()
    {
        using var store = NewStore();
        var first = await ArtifactTestData.Sample(seed: 11).PrepareAsync(Ct);
        var second = await ArtifactTestData.Sample(seed: 11).PrepareAsync(Ct);
        Assert.Equal(first.Digest, second.Digest);

        await store.PushAsync(first, "v1", Ct);
        await store.PushAsync(second, "v1", Ct);

        Assert.Equal(first.Digest, await store.ResolveAsync("v1", Ct));
        Assert.Equal(["v1"], await store.ListTagsAsync(Ct));
    }

    [Fact]
    public async Task A_tag_pushed_again_with_other_content_moves_and_the_old_artifact_stays_by_digest()
    {
        using var store = NewStore();
        var old = await ArtifactTestData.Sample(seed: 1).PrepareAsync(Ct);
        var next = await ArtifactTestData.Sample(seed: 2).PrepareAsync(Ct);
        Assert.NotEqual(old.Digest, next.Digest);

        await store.PushAsync(old, "latest", Ct);
        await store.PushAsync(next, "latest", Ct);
        await store.PushAsync(old, "pinned", Ct);

        Assert.Equal(next.Digest, await store.ResolveAsync("latest", Ct));
        Assert.Equal(old.Digest, (await store.PullManifestAsync(old.Digest.ToString(), Ct)).Digest);
        Assert.Equal(["latest", "pinned"], await store.ListTagsAsync(Ct));
    }

    [Fact]
    public async Task Missing_tag_manifest_and_blob_are_not_found_errors_naming_them()
    {
        using var store = NewStore();
        Assert.Empty(await store.ListTagsAsync(Ct));
        await store.PushAsync(await ArtifactTestData.Sample(seed: 4).PrepareAsync(Ct), "present", Ct);

        var tag = await Assert.ThrowsAsync<ArtifactNotFoundException>(() => store.ResolveAsync("absent", Ct));
        Assert.Contains("absent", tag.Message);
        Assert.Equal(store.Repository.WithTag("absent").ToString(), tag.Reference);

        var unknown = OciDigest.Compute("never pushed"u8);
        var manifest = await Assert.ThrowsAsync<ArtifactNotFoundException>(() => store.PullManifestAsync(unknown.ToString(), Ct));
        Assert.Contains(unknown.ToString(), manifest.Message);

        var blob = await Assert.ThrowsAsync<ArtifactNotFoundException>(() => store.OpenBlobAsync(new OciDescriptor("application/octet-stream", unknown, 12), Ct));
        Assert.Contains(unknown.ToString(), blob.Message);
        Assert.False(await store.HasBlobAsync(unknown, Ct));
    }

    [Fact]
    public async Task Tampered_blob_is_refused_naming_the_reference_and_both_digests()
    {
        using var store = NewStore();
        var prepared = await ArtifactTestData.Sample(seed: 5).PrepareAsync(Ct);
        await store.PushAsync(prepared, "v1", Ct);
        var weights = prepared.Manifest.FindLayer("weights.bin")!;

        ArtifactTestData.FlipByte(StoredBlobPath(store, weights.Digest));

        var error = await Assert.ThrowsAsync<ArtifactIntegrityException>(() => store.OpenBlobAsync(weights, Ct));
        Assert.Equal(weights.Digest, error.Expected);
        Assert.NotNull(error.Found);
        Assert.NotEqual(weights.Digest, error.Found);
        Assert.Equal(weights.Size, error.FoundSize);
        Assert.Contains(store.Repository.WithDigest(weights.Digest).ToString(), error.Message);
        Assert.Contains(weights.Digest.ToString(), error.Message);
        Assert.Contains(error.Found!.ToString(), error.Message);
        // The untouched layer is still served.
        Assert.Equal("{\"hidden\":5}"u8.ToArray(), await store.ReadBlobAsync(prepared.Manifest.FindLayer("hyperparameters.json")!, cancellationToken: Ct));
    }

    [Fact]
    public async Task Tampered_manifest_is_refused_when_pulled_by_tag_or_digest()
    {
        using var store = NewStore();
        var prepared = await ArtifactTestData.Sample(seed: 6).PrepareAsync(Ct);
        await store.PushAsync(prepared, "v1", Ct);

        ArtifactTestData.FlipByte(StoredBlobPath(store, prepared.Digest));

        var byTag = await Assert.ThrowsAsync<ArtifactIntegrityException>(() => store.PullManifestAsync("v1", Ct));
        Assert.Equal(prepared.Digest, byTag.Expected);
        var byDigest = await Assert.ThrowsAsync<ArtifactIntegrityException>(() => store.PullManifestAsync(prepared.Digest.ToString(), Ct));
        Assert.Equal(prepared.Digest, byDigest.Expected);
        Assert.Contains(store.Repository.WithDigest(prepared.Digest).ToString(), byDigest.Message);
    }

    [Fact]
    public async Task Forged_sizes_are_refused_without_reading_a_forged_amount()
    {
        using var store = NewStore();
        var prepared = await ArtifactTestData.Sample(seed: 8).PrepareAsync(Ct);
        await store.PushAsync(prepared, "v1", Ct);
        var weights = prepared.Manifest.FindLayer("weights.bin")!;

        // 2 GiB: under the registry store's MaxBlobSize (which refuses larger declarations before asking; see
        // HostileRegistryTests), so that the registry's real Content-Length is what contradicts the forged size.
        var huge = new OciDescriptor(weights.MediaType, weights.Digest, 1L << 31, weights.Annotations);
        var tooBig = await Assert.ThrowsAsync<ArtifactIntegrityException>(() => store.OpenBlobAsync(huge, Ct));
        Assert.Equal(1L << 31, tooBig.ExpectedSize);
        Assert.Equal(weights.Size, tooBig.FoundSize);
        await Assert.ThrowsAsync<ArtifactFormatException>(() => store.ReadBlobAsync(huge, maxBytes: 1 << 20, Ct));

        var small = new OciDescriptor(weights.MediaType, weights.Digest, 10, weights.Annotations);
        var tooSmall = await Assert.ThrowsAsync<ArtifactIntegrityException>(() => store.OpenBlobAsync(small, Ct));
        Assert.True(tooSmall.FoundSize > 10);
    }

    [Fact]
    public async Task Content_that_does_not_match_its_descriptor_is_not_stored()
    {
        using var store = NewStore();
        var claimed = OciDescriptor.For("application/octet-stream", "the real bytes"u8);
        using var other = new MemoryStream("other  bytes!!"u8.ToArray());

        await Assert.ThrowsAnyAsync<ArtifactStoreException>(() => store.PushBlobAsync(claimed, other, Ct));

        Assert.False(await store.HasBlobAsync(claimed.Digest, Ct));
    }
}
