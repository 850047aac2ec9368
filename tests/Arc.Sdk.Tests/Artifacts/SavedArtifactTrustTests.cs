using System.Collections.Concurrent;
using Arc.Sdk.Tests.Remote;
using Arc.Artifacts;
using Arc.Sdk;
using Arc.Types;
using Arc.Sdk.Tests.Support;

namespace Arc.Sdk.Tests.Artifacts;

/// <summary>
/// Trust policies on connect: a saved model is code, so under <see cref="ArtifactTrustPolicy.RequireSigned(ArtifactPublicKey[])"/>
/// an unsigned, untrusted or tampered artifact is refused before its bundle is extracted or any worker starts; signed
/// artifacts connect and run; the default policy still connects unsigned ones.
/// </summary>
public sealed class SavedArtifactTrustTests(SavedModelFixture saved) : IClassFixture<SavedModelFixture>, IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly DirectoryInfo _root = TestScratch.Create();

    private readonly ConcurrentQueue<string> _log = new();

    private Target LocalProcess => Target.LocalProcessWith(new LocalProcessOptions { Log = _log.Enqueue, ReadyTimeout = TimeSpan.FromSeconds(60) });

    /// <summary>A bundle cache of this test's own, so that a bundle found there can only come from this test.</summary>
    private string Cache => Path.Combine(_root.FullName, "cache");

    private SavedModelOptions Options(ArtifactTrustPolicy? policy) => new() { CacheDirectory = Cache, TrustPolicy = policy };

    /// <summary>Nothing of the artifact was extracted and no worker process said anything.</summary>
    private void AssertNothingRan()
    {
        Assert.False(Directory.Exists(Path.Combine(Cache, "bundles")), "the bundle was extracted although the artifact was refused");
        Assert.Empty(_log);
    }

    [Fact]
    public async Task The_default_policy_still_connects_an_unsigned_model()
    {
        await using var byDefault = await SavedModel.ConnectAsync<ImageData, ClassData>(saved.Reference, Target.InProcess, Options(null), Ct);
        await using var none = await SavedModel.ConnectAsync<ImageData, ClassData>(saved.Reference, Target.InProcess, Options(ArtifactTrustPolicy.None), Ct);

        var expected = saved.Model.Predict(saved.Images).Scores!.Bytes.ToArray();
        Assert.Equal(expected, (await byDefault.PredictAsync(saved.Images, Ct)).Scores!.Bytes.ToArray());
        Assert.Equal(expected, (await none.PredictAsync(saved.Images, Ct)).Scores!.Bytes.ToArray());
    }

    [Fact]
    public async Task An_unsigned_model_is_refused_under_RequireSigned_before_its_bundle_is_extracted_or_a_worker_starts()
    {
        using var key = ArtifactSigningKey.Create();

        var e = await Assert.ThrowsAsync<ArtifactTrustException>(() =>
            SavedModel.ConnectAsync<ImageData, ClassData>(saved.Reference, LocalProcess, Options(ArtifactTrustPolicy.RequireSigned(key.PublicKey)), Ct));

        Assert.Equal(ArtifactTrustFailure.Unsigned, e.Failure);
        Assert.StartsWith($"{saved.Reference} (sha256:", e.Message);
        Assert.Contains("has no signature", e.Message);
        Assert.Contains("nothing of it was extracted or run", e.Message);
        AssertNothingRan();
        // Inspecting reads the config, which the policy guards too.
        await Assert.ThrowsAsync<ArtifactTrustException>(() =>
            SavedModel.InspectAsync(saved.Reference, Options(ArtifactTrustPolicy.RequireSigned(key.PublicKey)), Ct));
    }

    [Fact]
    public async Task A_model_saved_with_a_signing_key_runs_in_a_worker_under_a_policy_trusting_it_and_is_refused_under_another_key()
    {
        string keys = Path.Combine(_root.FullName, "keys");
        Directory.CreateDirectory(keys);
        using (var created = ArtifactSigningKey.Create())
            created.Save(Path.Combine(keys, "signer.pem"), Path.Combine(keys, "signer.pub.pem"));
        // What a publisher and a consumer would do: the publisher loads its private key, the consumer only the public one.
        using var signer = ArtifactSigningKey.Load(Path.Combine(keys, "signer.pem"));
        var trusted = ArtifactPublicKey.Load(Path.Combine(keys, "signer.pub.pem"));
        using var stranger = ArtifactSigningKey.Create();
        var reference = await SavedModelFixture.Registration.SaveAsync(saved.Model, SavedModelFixture.Hyperparameters,
            ArtifactReference.ForLayout(Path.Combine(_root.FullName, "layout")), signingKey: signer, cancellationToken: Ct);

        var refused = await Assert.ThrowsAsync<ArtifactTrustException>(() =>
            SavedModel.ConnectAsync<ImageData, ClassData>(reference, LocalProcess, Options(ArtifactTrustPolicy.RequireSigned(stranger.PublicKey)), Ct));
        Assert.Equal(ArtifactTrustFailure.UntrustedKey, refused.Failure);
        Assert.Contains(signer.KeyId, refused.Message);
        AssertNothingRan();

        await using var connected = await SavedModel.ConnectAsync<ImageData, ClassData>(reference, LocalProcess, Options(ArtifactTrustPolicy.RequireSigned(trusted)), Ct);
        Assert.IsType<LocalProcessModel<ImageData, ClassData>>(connected);
        Assert.Equal(saved.Model.Predict(saved.Images).Scores!.Bytes.ToArray(), (await connected.PredictAsync(saved.Images, Ct)).Scores!.Bytes.ToArray());
        Assert.True(Directory.Exists(Path.Combine(Cache, "bundles")));
    }

    [Fact]
    public async Task A_signed_model_whose_signature_was_tampered_with_on_disk_is_refused_before_its_bundle_is_extracted()
    {
        using var key = ArtifactSigningKey.Create();
        string layout = Path.Combine(_root.FullName, "tampered");
        var reference = await SavedModelFixture.Registration.SaveAsync(saved.Model, SavedModelFixture.Hyperparameters, ArtifactReference.ForLayout(layout),
            signingKey: key, cancellationToken: Ct);
        using var store = new OciLayoutStore(layout);
        var subject = await store.PullManifestAsync(reference.Tag!, Ct);
        var signature = Assert.Single(await store.ListReferrersAsync(subject.Digest, ArtifactSignatures.ArtifactType, Ct));
        var envelope = (await store.PullManifestAsync(signature.Digest.ToString(), Ct)).Manifest.Layers[0];
        ArtifactTestData.FlipByte(store.BlobPath(envelope.Digest));

        var e = await Assert.ThrowsAsync<ArtifactTrustException>(() =>
            SavedModel.ConnectAsync<ImageData, ClassData>(reference, LocalProcess, Options(ArtifactTrustPolicy.RequireSigned(key.PublicKey)), Ct));

        Assert.Equal(ArtifactTrustFailure.InvalidSignature, e.Failure);
        AssertNothingRan();
    }

    [Fact]
    public async Task A_saved_job_is_checked_the_same_way()
    {
        using var key = ArtifactSigningKey.Create();
        var layout = ArtifactReference.ForLayout(Path.Combine(_root.FullName, "jobs"));
        var unsigned = await WorkerRampJob.Registration.SaveAsync(new WorkerRampJob.Parameters(Count: 9, Seed: 3), layout, cancellationToken: Ct);
        var signed = await WorkerRampJob.Registration.SaveAsync(new WorkerRampJob.Parameters(Count: 9, Seed: 4), layout, signingKey: key, cancellationToken: Ct);
        var policy = Options(ArtifactTrustPolicy.RequireSigned(key.PublicKey));

        var e = await Assert.ThrowsAsync<ArtifactTrustException>(() => SavedJob.ConnectAsync<ImageData, ClassData>(unsigned, LocalProcess, policy, Ct));
        Assert.Equal(ArtifactTrustFailure.Unsigned, e.Failure);
        AssertNothingRan();

        await using var job = await SavedJob.ConnectAsync<ImageData, ClassData>(signed, Target.InProcess, policy, Ct);
        var batch = await job.SampleAsync(9, cancellationToken: Ct);
        Assert.Equal(9, batch.Targets.IndexSpan.Length);
    }

    public void Dispose() => _root.Delete(recursive: true);
}

/// <summary>Signed saves and trust policies through a real docker-registry.</summary>
[Collection(DockerRegistryCollection.Name)]
public sealed class SavedArtifactRegistryTrustTests(DockerRegistryFixture registry) : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly DirectoryInfo _cache = TestScratch.Create();

    private SavedModelOptions Options(ArtifactTrustPolicy policy) => new() { CacheDirectory = _cache.FullName, TrustPolicy = policy };

    [Fact]
    public async Task A_model_saved_signed_to_a_registry_runs_under_RequireSigned_and_an_unsigned_one_is_refused_unextracted()
    {
        using var key = ArtifactSigningKey.Create();
        using var model = await SavedModelFixture.TrainAsync();
        // Other hyperparameters than the unsigned save below, so the two artifacts differ.
        var signedHyperparameters = new WorkerMlp.Hyperparameters(Hidden: 5);
        using var signedModel = SavedModelFixture.Registration.Create(signedHyperparameters);
        var repository = ArtifactReference.ForRegistry(registry.Registry, "arc-tests/trusted");
        var unsigned = await SavedModelFixture.Registration.SaveAsync(model, SavedModelFixture.Hyperparameters, repository, cancellationToken: Ct);
        var signed = await SavedModelFixture.Registration.SaveAsync(signedModel, signedHyperparameters, repository, signingKey: key, cancellationToken: Ct);

        var e = await Assert.ThrowsAsync<ArtifactTrustException>(() =>
            SavedModel.ConnectAsync<ImageData, ClassData>(unsigned, Target.LocalProcess, Options(ArtifactTrustPolicy.RequireSigned(key.PublicKey)), Ct));
        Assert.Equal(ArtifactTrustFailure.Unsigned, e.Failure);
        Assert.StartsWith(unsigned.ToString(), e.Reference);
        Assert.False(Directory.Exists(Path.Combine(_cache.FullName, "bundles")));

        var images = RemoteTestData.Images(5, 4, 4, seed: 43).Images;
        await using var connected = await SavedModel.ConnectAsync<ImageData, ClassData>(signed.ToString(), Target.LocalProcess,
            Options(ArtifactTrustPolicy.RequireSigned(key.PublicKey)), Ct);
        Assert.Equal(signedModel.Predict(images).Scores!.Bytes.ToArray(), (await connected.PredictAsync(images, Ct)).Scores!.Bytes.ToArray());
        // Pinned by digest, the same artifact and the same signature.
        var signature = await ArtifactSignatures.VerifyAsync(signed, ArtifactTrustPolicy.RequireSigned(key.PublicKey), cancellationToken: Ct);
        var pinned = signed.WithDigest(signature!.Subject.Digest);
        Assert.Equal(signedHyperparameters.Hidden,
            (await SavedModel.InspectAsync(pinned, Options(ArtifactTrustPolicy.RequireSigned(key.PublicKey)), Ct)).Parameters!.Value.GetProperty("hidden").GetInt32());
    }

    public void Dispose() => _cache.Delete(recursive: true);
}
