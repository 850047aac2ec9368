using System.Text;
using System.Text.Json;
using Arc.Artifacts;
using Arc.Sdk.Tests.Support;

namespace Arc.Sdk.Tests.Artifacts;

/// <summary>
/// Signing and verifying artifacts on each real store: a round trip, and every way a policy must refuse (unsigned, a key
/// it does not trust, a signature altered after signing or in storage, a genuine signature of another manifest).
/// </summary>
public abstract class ArtifactSigningContractTests : IDisposable
{
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly DirectoryInfo _scratch = TestScratch.Create();

    /// <summary>A store over a fresh, empty repository.</summary>
    protected abstract IArtifactStore NewStore();

    /// <summary>The file in which <paramref name="store"/> keeps the bytes of <paramref name="digest"/>.</summary>
    protected abstract string StoredBlobPath(IArtifactStore store, OciDigest digest);

    private static async Task<PulledManifest> PushSampleAsync(IArtifactStore store, int seed)
    {
        var prepared = await ArtifactTestData.Sample(seed).PrepareAsync(Ct);
        await store.PushAsync(prepared, $"sample-{seed}", Ct);
        return await store.PullManifestAsync($"sample-{seed}", Ct);
    }

    [Fact]
    public async Task A_signed_artifact_verifies_under_a_policy_trusting_its_key_and_signing_again_adds_nothing()
    {
        using var store = NewStore();
        using var key = ArtifactSigningKey.Create();
        var manifest = await PushSampleAsync(store, seed: 301);

        var signed = await ArtifactSignatures.SignAsync(store, manifest, key, Ct);
        var verified = await ArtifactSignatures.VerifyAsync(store, manifest, ArtifactTrustPolicy.RequireSigned(key.PublicKey), cancellationToken: Ct);

        Assert.NotNull(verified);
        Assert.Equal(signed.Digest, verified.Digest);
        Assert.Equal(key.KeyId, verified.KeyId);
        Assert.Equal(manifest.Digest, verified.Subject.Digest);
        Assert.Equal(manifest.Bytes.Length, verified.Subject.Size);
        Assert.Equal(ArtifactTestData.ArtifactType, verified.ArtifactType);
        Assert.InRange(verified.SignedAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddSeconds(1));
        var referrer = Assert.Single(await store.ListReferrersAsync(manifest.Digest, ArtifactSignatures.ArtifactType, Ct));
        Assert.Equal(key.KeyId, referrer.Annotations[ArtifactSignatures.KeyIdAnnotation]);

        Assert.Equal(signed.Digest, (await ArtifactSignatures.SignAsync(store, manifest, key, Ct)).Digest);
        Assert.Single(await store.ListReferrersAsync(manifest.Digest, cancellationToken: Ct));
        // By reference too (the public path a CLI or a deployment check would take).
        var byReference = await ArtifactSignatures.VerifyAsync(store.Repository.WithTag("sample-301"), ArtifactTrustPolicy.RequireSigned(key.PublicKey),
            cancellationToken: Ct);
        Assert.Equal(signed.Digest, byReference!.Digest);
        Assert.Null(await ArtifactSignatures.VerifyAsync(store, manifest, ArtifactTrustPolicy.None, cancellationToken: Ct));
    }

    [Fact]
    public async Task An_unsigned_artifact_is_refused_naming_the_reference_and_the_reason()
    {
        using var store = NewStore();
        using var key = ArtifactSigningKey.Create();
        var manifest = await PushSampleAsync(store, seed: 302);
        string reference = store.Repository.WithTag("sample-302").ToString();

        var e = await Assert.ThrowsAsync<ArtifactTrustException>(() =>
            ArtifactSignatures.VerifyAsync(store, manifest, ArtifactTrustPolicy.RequireSigned(key.PublicKey), reference, Ct));

        Assert.Equal(ArtifactTrustFailure.Unsigned, e.Failure);
        Assert.StartsWith($"{reference} ({manifest.Digest}) is refused by the trust policy RequireSigned({key.KeyId})", e.Message);
        Assert.Contains("it has no signature", e.Message);
        Assert.Contains(reference, e.Reference);
    }

    [Fact]
    public async Task A_signature_by_a_key_the_policy_does_not_trust_is_refused_until_the_key_is_trusted()
    {
        using var store = NewStore();
        using var signer = ArtifactSigningKey.Create();
        using var trusted = ArtifactSigningKey.Create();
        var manifest = await PushSampleAsync(store, seed: 303);
        await ArtifactSignatures.SignAsync(store, manifest, signer, Ct);

        var e = await Assert.ThrowsAsync<ArtifactTrustException>(() =>
            ArtifactSignatures.VerifyAsync(store, manifest, ArtifactTrustPolicy.RequireSigned(trusted.PublicKey), cancellationToken: Ct));
        Assert.Equal(ArtifactTrustFailure.UntrustedKey, e.Failure);
        Assert.Contains($"signed by key {signer.KeyId}, which the policy does not trust", Assert.Single(e.Findings));

        var accepted = await ArtifactSignatures.VerifyAsync(store, manifest, ArtifactTrustPolicy.RequireSigned(trusted.PublicKey, signer.PublicKey), cancellationToken: Ct);
        Assert.Equal(signer.KeyId, accepted!.KeyId);
    }

    [Fact]
    public async Task A_signature_whose_statement_was_altered_after_signing_is_refused()
    {
        using var store = NewStore();
        using var key = ArtifactSigningKey.Create();
        var manifest = await PushSampleAsync(store, seed: 304);
        var genuine = await GenuineEnvelopeAsync(manifest, key);

        // The attacker keeps the signature and changes what it says (here only the time; any byte would do).
        var altered = RewriteEnvelope(genuine, payload => payload.Replace("\"signedAt\":\"20", "\"signedAt\":\"19"), signature => signature);
        await PushSignatureAsync(store, manifest, altered, key.KeyId);

        var e = await Assert.ThrowsAsync<ArtifactTrustException>(() =>
            ArtifactSignatures.VerifyAsync(store, manifest, ArtifactTrustPolicy.RequireSigned(key.PublicKey), cancellationToken: Ct));
        Assert.Equal(ArtifactTrustFailure.InvalidSignature, e.Failure);
        Assert.Contains("does not verify", e.Message);
    }

    [Fact]
    public async Task A_signature_with_a_flipped_bit_is_refused()
    {
        using var store = NewStore();
        using var key = ArtifactSigningKey.Create();
        var manifest = await PushSampleAsync(store, seed: 305);
        var genuine = await GenuineEnvelopeAsync(manifest, key);
        var flipped = RewriteEnvelope(genuine, payload => payload, signature =>
        {
            var bytes = Convert.FromBase64String(signature);
            bytes[^1] ^= 0x01;
            return Convert.ToBase64String(bytes);
        });
        await PushSignatureAsync(store, manifest, flipped, key.KeyId);

        var e = await Assert.ThrowsAsync<ArtifactTrustException>(() =>
            ArtifactSignatures.VerifyAsync(store, manifest, ArtifactTrustPolicy.RequireSigned(key.PublicKey), cancellationToken: Ct));
        Assert.Equal(ArtifactTrustFailure.InvalidSignature, e.Failure);
    }

    [Fact]
    public async Task A_signature_tampered_with_in_the_store_s_storage_is_refused()
    {
        using var store = NewStore();
        using var key = ArtifactSigningKey.Create();
        var manifest = await PushSampleAsync(store, seed: 306);
        var signature = await ArtifactSignatures.SignAsync(store, manifest, key, Ct);
        var envelope = (await store.PullManifestAsync(signature.Digest.ToString(), Ct)).Manifest.Layers[0];

        ArtifactTestData.FlipByte(StoredBlobPath(store, envelope.Digest));

        var e = await Assert.ThrowsAsync<ArtifactTrustException>(() =>
            ArtifactSignatures.VerifyAsync(store, manifest, ArtifactTrustPolicy.RequireSigned(key.PublicKey), cancellationToken: Ct));
        Assert.Equal(ArtifactTrustFailure.InvalidSignature, e.Failure);
        Assert.Contains("failed verification", Assert.Single(e.Findings));
    }

    [Fact]
    public async Task A_genuine_signature_of_another_manifest_is_refused()
    {
        using var store = NewStore();
        using var key = ArtifactSigningKey.Create();
        var signedOne = await PushSampleAsync(store, seed: 307);
        var target = await PushSampleAsync(store, seed: 308);
        // A valid signature by the trusted key, made for another artifact, attached to this one.
        await PushSignatureAsync(store, target, await GenuineEnvelopeAsync(signedOne, key), key.KeyId);

        var e = await Assert.ThrowsAsync<ArtifactTrustException>(() =>
            ArtifactSignatures.VerifyAsync(store, target, ArtifactTrustPolicy.RequireSigned(key.PublicKey), cancellationToken: Ct));
        Assert.Equal(ArtifactTrustFailure.WrongSubject, e.Failure);
        Assert.Contains($"made for {signedOne.Digest}", e.Message);
        // The signature is valid where it belongs.
        await ArtifactSignatures.SignAsync(store, signedOne, key, Ct);
        Assert.NotNull(await ArtifactSignatures.VerifyAsync(store, signedOne, ArtifactTrustPolicy.RequireSigned(key.PublicKey), cancellationToken: Ct));
    }

    [Fact]
    public async Task The_signature_is_plain_DER_ECDSA_over_the_DSSE_encoding_of_the_stored_statement()
    {
        // Checked here with nothing of Arc's verifier, as another tool (openssl dgst -verify) would.
        using var store = NewStore();
        using var key = ArtifactSigningKey.Create();
        var manifest = await PushSampleAsync(store, seed: 309);
        var envelope = await GenuineEnvelopeAsync(manifest, key);
        using var document = JsonDocument.Parse(envelope);
        var payload = Convert.FromBase64String(document.RootElement.GetProperty("payload").GetString()!);
        var signature = Convert.FromBase64String(document.RootElement.GetProperty("signatures")[0].GetProperty("sig").GetString()!);
        using var ecdsa = System.Security.Cryptography.ECDsa.Create();
        ecdsa.ImportFromPem(key.PublicKey.ToPem());
        var encoded = Encoding.UTF8.GetBytes($"DSSEv1 {ArtifactSignatures.PayloadType.Length} {ArtifactSignatures.PayloadType} {payload.Length} ").Concat(payload).ToArray();
        Assert.True(ecdsa.VerifyData(encoded, signature, System.Security.Cryptography.HashAlgorithmName.SHA256,
            System.Security.Cryptography.DSASignatureFormat.Rfc3279DerSequence));
        using var statement = JsonDocument.Parse(payload);
        Assert.Equal(manifest.Digest.ToString(), statement.RootElement.GetProperty("subject").GetProperty("digest").GetString());
        Assert.Equal(key.KeyId, statement.RootElement.GetProperty("keyId").GetString());
    }

    /// <summary>The envelope bytes the real signer produces for <paramref name="manifest"/>, made in a scratch layout so the store under test stays unsigned.</summary>
    private async Task<byte[]> GenuineEnvelopeAsync(PulledManifest manifest, ArtifactSigningKey key)
    {
        using var scratch = new OciLayoutStore(Path.Combine(_scratch.FullName, Guid.NewGuid().ToString("N")));
        using var source = ArtifactStores.Open(manifest.Reference);
        foreach (var blob in manifest.Manifest.Blobs)
        {
            await using var stream = await source.OpenBlobAsync(blob, Ct);
            await scratch.PushBlobAsync(blob, stream, Ct);
        }
        await scratch.PushManifestAsync(manifest.Bytes, "copy", Ct);
        var signature = await ArtifactSignatures.SignAsync(scratch, await scratch.PullManifestAsync("copy", Ct), key, Ct);
        var layer = (await scratch.PullManifestAsync(signature.Digest.ToString(), Ct)).Manifest.Layers[0];
        return await scratch.ReadBlobAsync(layer, cancellationToken: Ct);
    }

    private static byte[] RewriteEnvelope(byte[] envelope, Func<string, string> payload, Func<string, string> signature)
    {
        using var document = JsonDocument.Parse(envelope);
        var root = document.RootElement;
        string text = Encoding.UTF8.GetString(Convert.FromBase64String(root.GetProperty("payload").GetString()!));
        string changed = payload(text);
        var entry = root.GetProperty("signatures")[0];
        return JsonSerializer.SerializeToUtf8Bytes(new EnvelopeJson(root.GetProperty("payloadType").GetString()!,
            Convert.ToBase64String(Encoding.UTF8.GetBytes(changed)),
            [new EnvelopeSignatureJson(entry.GetProperty("keyid").GetString()!, signature(entry.GetProperty("sig").GetString()!))]));
    }

    private sealed record EnvelopeJson(
        [property: System.Text.Json.Serialization.JsonPropertyName("payloadType")] string PayloadType,
        [property: System.Text.Json.Serialization.JsonPropertyName("payload")] string Payload,
        [property: System.Text.Json.Serialization.JsonPropertyName("signatures")] EnvelopeSignatureJson[] Signatures);

    private sealed record EnvelopeSignatureJson(
        [property: System.Text.Json.Serialization.JsonPropertyName("keyid")] string KeyId,
        [property: System.Text.Json.Serialization.JsonPropertyName("sig")] string Sig);

    /// <summary>Pushes <paramref name="envelope"/> as a signature of <paramref name="subject"/>, the way the signer would.</summary>
    private static async Task PushSignatureAsync(IArtifactStore store, PulledManifest subject, byte[] envelope, string keyId)
    {
        var prepared = await new ArtifactContent(ArtifactSignatures.ArtifactType)
            .WithSubject(new OciDescriptor(OciMediaTypes.ImageManifest, subject.Digest, subject.Bytes.Length))
            .AddLayer("signature.dsse.json", ArtifactSignatures.EnvelopeMediaType, envelope)
            .Annotate(ArtifactSignatures.KeyIdAnnotation, keyId)
            .PrepareAsync(Ct);
        await store.PushReferrerAsync(prepared, Ct);
    }

    public virtual void Dispose() => _scratch.Delete(recursive: true);
}

/// <summary>Signing on an OCI image layout on disk.</summary>
public sealed class OciLayoutSigningTests : ArtifactSigningContractTests
{
    private readonly DirectoryInfo _root = TestScratch.Create();

    protected override IArtifactStore NewStore() => new OciLayoutStore(Path.Combine(_root.FullName, Guid.NewGuid().ToString("N")));

    protected override string StoredBlobPath(IArtifactStore store, OciDigest digest) => ((OciLayoutStore)store).BlobPath(digest);

    [Fact]
    public async Task The_layout_keeps_referrers_under_the_referrers_tag_schema()
    {
        using var store = (OciLayoutStore)NewStore();
        using var key = ArtifactSigningKey.Create();
        var prepared = await ArtifactTestData.Sample(seed: 310).PrepareAsync(Ct);
        await store.PushAsync(prepared, "signed", Ct);
        var signature = await ArtifactSignatures.SignAsync(store, await store.PullManifestAsync("signed", Ct), key, Ct);

        Assert.Equal(["sha256-" + prepared.Digest.Hex, "signed"], await store.ListTagsAsync(Ct));
        using var index = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(store.Root, "index.json"), Ct));
        var entry = index.RootElement.GetProperty("manifests").EnumerateArray()
            .Single(e => e.GetProperty("annotations").GetProperty(OciAnnotations.RefName).GetString() == "sha256-" + prepared.Digest.Hex);
        Assert.Equal(OciMediaTypes.ImageIndex, entry.GetProperty("mediaType").GetString());
        using var referrers = JsonDocument.Parse(await File.ReadAllBytesAsync(store.BlobPath(OciDigest.Parse(entry.GetProperty("digest").GetString()!)), Ct));
        var listed = Assert.Single(referrers.RootElement.GetProperty("manifests").EnumerateArray());
        Assert.Equal(signature.Digest.ToString(), listed.GetProperty("digest").GetString());
        Assert.Equal(ArtifactSignatures.ArtifactType, listed.GetProperty("artifactType").GetString());
    }

    [Fact]
    public async Task A_referrer_of_a_manifest_the_layout_lacks_is_refused()
    {
        using var store = NewStore();
        await PushAnythingAsync(store);
        var missing = OciDigest.Compute("not pushed"u8);
        var prepared = await new ArtifactContent("application/vnd.example.note.v1")
            .WithSubject(new OciDescriptor(OciMediaTypes.ImageManifest, missing, 10)).PrepareAsync(Ct);
        var e = await Assert.ThrowsAsync<ArtifactNotFoundException>(() => store.PushReferrerAsync(prepared, Ct));
        Assert.Contains($"its subject {missing} is not in the OCI layout", e.Message);
    }

    private static async Task PushAnythingAsync(IArtifactStore store)
        => await store.PushAsync(await ArtifactTestData.Sample(seed: 311).PrepareAsync(Ct), "anything", Ct);

    public override void Dispose()
    {
        base.Dispose();
        _root.Delete(recursive: true);
    }
}

/// <summary>Signing on a real docker-registry (distribution 2.8: no referrers API, so the tag schema is used).</summary>
[Collection(DockerRegistryCollection.Name)]
public sealed class OciRegistrySigningTests(DockerRegistryFixture registry) : ArtifactSigningContractTests
{
    protected override IArtifactStore NewStore()
        => new OciRegistryStore(ArtifactReference.ForRegistry(registry.Registry, $"arc-tests/signing-{Guid.NewGuid():N}"[..40]));

    protected override string StoredBlobPath(IArtifactStore store, OciDigest digest) => registry.BlobDataPath(digest.Hex);

    [Fact]
    public async Task The_registry_has_no_referrers_API_and_the_signature_is_found_through_the_referrers_tag()
    {
        using var store = NewStore();
        using var key = ArtifactSigningKey.Create();
        var prepared = await ArtifactTestData.Sample(seed: 312).PrepareAsync(Ct);
        await store.PushAsync(prepared, "signed", Ct);
        var signature = await ArtifactSignatures.SignAsync(store, await store.PullManifestAsync("signed", Ct), key, Ct);

        using var http = new HttpClient();
        using var api = await http.GetAsync($"http://{registry.Registry}/v2/{store.Repository.Repository}/referrers/{prepared.Digest}", Ct);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, api.StatusCode);
        Assert.Contains("sha256-" + prepared.Digest.Hex, await store.ListTagsAsync(Ct));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{registry.Registry}/v2/{store.Repository.Repository}/manifests/sha256-{prepared.Digest.Hex}");
        request.Headers.Accept.ParseAdd(OciMediaTypes.ImageIndex);
        using var index = await http.SendAsync(request, Ct);
        Assert.Equal(OciMediaTypes.ImageIndex, index.Content.Headers.ContentType?.MediaType);
        Assert.Contains(signature.Digest.ToString(), await index.Content.ReadAsStringAsync(Ct));
    }
}
