using System.Collections.Concurrent;
using System.Text.Json;
using Arc.Sdk.Tests.Remote;
using Arc.Artifacts;
using Arc.Sdk;
using Arc.Types;
using Arc.Sdk.Tests.Support;

namespace Arc.Sdk.Tests.Artifacts;

/// <summary>
/// Saving a trained model to an OCI layout and connecting to it by reference alone: a real Arc.Worker process loads the
/// model from the artifact's extracted code bundle (libtorch linked from the NuGet folder), with the stored
/// hyperparameters and weights.
/// </summary>
public sealed class SavedModelTests(SavedModelFixture saved) : IClassFixture<SavedModelFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly ConcurrentQueue<string> _log = new();

    private Target LocalProcess => Target.LocalProcessWith(new LocalProcessOptions { Log = _log.Enqueue, ReadyTimeout = TimeSpan.FromSeconds(60) });

    [Fact]
    public async Task A_saved_model_connected_by_reference_in_a_worker_predicts_exactly_what_the_trained_model_predicts()
    {
        Assert.Matches(@"^model-workermlp-[0-9a-f]{12}$", saved.Reference.Tag);
        string text = saved.Reference.ToString();

        await using var connected = await SavedModel.ConnectAsync<ImageData, ClassData>(text, LocalProcess, saved.Options, Ct);

        var process = Assert.IsType<LocalProcessModel<ImageData, ClassData>>(connected);
        Assert.NotEqual(Environment.ProcessId, process.ProcessId);
        var there = await connected.PredictAsync(saved.Images, Ct);
        var here = saved.Model.Predict(saved.Images);
        Assert.Equal(here.IndexSpan.ToArray(), there.IndexSpan.ToArray());
        Assert.Equal(here.Scores!.Bytes.ToArray(), there.Scores!.Bytes.ToArray());
        // The weights are the trained ones, not what the seeded hyperparameters alone give.
        using var untrained = SavedModelFixture.Registration.Create(SavedModelFixture.Hyperparameters);
        Assert.NotEqual(untrained.Predict(saved.Images).Scores!.Bytes.ToArray(), there.Scores!.Bytes.ToArray());
    }

    [Fact]
    public async Task The_generated_client_saves_what_runs_behind_it_and_a_worker_connects_to_it_by_reference()
    {
        // A model trained in a worker process, saved through its typed client (weights fetched from the worker).
        var batch = await new WorkerRampJob(count: 24, seed: 31).SampleAsync(24, cancellationToken: Ct);
        await using var client = await WorkerMlp.DeployAsync(LocalProcess, hidden: 7, cancellationToken: Ct);
        for (int step = 0; step < 5; step++)
            await client.FitAsync(batch.Inputs, batch.Targets, Ct);
        var reference = await client.SaveAsync(ArtifactReference.ForLayout(Path.Combine(saved.Layout, "..", "client-layout")), cancellationToken: Ct);
        Assert.Matches(@"^model-workermlp-[0-9a-f]{12}$", reference.Tag);

        await using var connected = await SavedModel.ConnectAsync<ImageData, ClassData>(reference, LocalProcess, saved.Options, Ct);
        var expected = await client.PredictAsync(saved.Images, Ct);
        var actual = await connected.PredictAsync(saved.Images, Ct);
        Assert.Equal(expected.Scores!.Bytes.ToArray(), actual.Scores!.Bytes.ToArray());
        Assert.Equal(7, (await SavedModel.InspectAsync(reference, cancellationToken: Ct)).Parameters!.Value.GetProperty("hidden").GetInt32());
    }

    [Fact]
    public async Task The_worker_loads_the_assembly_from_the_extracted_bundle_and_libtorch_from_the_NuGet_folder()
    {
        string maps;
        await using (var connected = await SavedModel.ConnectAsync<ImageData, ClassData>(saved.Reference, LocalProcess, saved.Options, Ct))
        {
            await connected.PredictAsync(saved.Images, Ct);
            // What the worker process has mapped: its program, the model assembly and libtorch, and from where.
            maps = await File.ReadAllTextAsync($"/proc/{Assert.IsType<LocalProcessModel<ImageData, ClassData>>(connected).ProcessId}/maps", Ct);
        }

        var bundles = Directory.GetDirectories(Path.Combine(saved.Cache, "bundles")).Where(d => !Path.GetFileName(d).StartsWith('.')).ToArray();
        string bundle = Assert.Single(bundles);
        Assert.True(File.Exists(Path.Combine(bundle, "Arc.Sdk.Tests.dll")));
        Assert.True(File.Exists(Path.Combine(bundle, "Arc.Worker.dll")));
        var libtorch = new FileInfo(Path.Combine(bundle, "runtimes", "linux-x64", "native", "libtorch_cpu.so"));
        Assert.NotNull(libtorch.LinkTarget);
        Assert.StartsWith(ArtifactLocations.NuGetPackagesDirectory, libtorch.LinkTarget);
        Assert.Contains(Path.Combine(bundle, "Arc.Sdk.Tests.dll"), maps);
        Assert.Contains(Path.Combine(bundle, "Arc.Worker.dll"), maps);
        Assert.DoesNotContain(typeof(SavedModelTests).Assembly.Location, maps);
        Assert.Contains(libtorch.LinkTarget, maps);

        // A second connect reuses the extracted bundle.
        var before = Directory.GetLastWriteTimeUtc(bundle);
        await using (await SavedModel.ConnectAsync<ImageData, ClassData>(saved.Reference, LocalProcess, saved.Options, Ct)) { }
        Assert.Single(Directory.GetDirectories(Path.Combine(saved.Cache, "bundles")));
        Assert.Equal(before, Directory.GetLastWriteTimeUtc(bundle));
    }

    [Fact]
    public async Task The_artifact_records_types_hyperparameters_and_libtorch_as_a_requirement_without_carrying_it()
    {
        var config = await SavedModel.InspectAsync(saved.Reference, cancellationToken: Ct);
        Assert.Equal("workermlp", config.Name);
        Assert.Equal(typeof(WorkerMlp).FullName, config.Type);
        Assert.Equal("Arc.Sdk.Tests.dll", config.Assembly);
        Assert.Equal(new SavedDataType("image", typeof(ImageData).FullName!), config.Input);
        Assert.Equal(new SavedDataType("class", typeof(ClassData).FullName!), config.Output);
        Assert.Equal(6, config.Parameters!.Value.GetProperty("hidden").GetInt32());
        var libtorch = Assert.Single(config.Requirements, r => r.Id.StartsWith("libtorch-", StringComparison.Ordinal));
        Assert.Contains(libtorch.Files, f => f.OutputPath == "runtimes/linux-x64/native/libtorch_cpu.so");

        using var store = new OciLayoutStore(saved.Layout);
        var pulled = await store.PullManifestAsync(saved.Reference.Tag!, Ct);
        Assert.Equal(ArcArtifactTypes.Model, pulled.Manifest.ArtifactType);
        Assert.Equal(
            [ArcArtifactTypes.Titles.Weights, ArcArtifactTypes.Titles.Hyperparameters, ArcArtifactTypes.Titles.AppBundle, ArcArtifactTypes.Titles.PackagesBundle],
            pulled.Manifest.Layers.Select(l => l.Title));
        // Small by default: the 460 MB libtorch_cpu.so is a requirement, not content.
        Assert.True(pulled.Manifest.Blobs.Sum(b => b.Size) < 100L << 20, $"the artifact holds {pulled.Manifest.Blobs.Sum(b => b.Size)} bytes");
        var hyperparameters = await store.ReadBlobAsync(pulled.Manifest.FindLayer(ArcArtifactTypes.Titles.Hyperparameters)!, cancellationToken: Ct);
        Assert.Equal(SavedModelFixture.Registration.WriteParameters(SavedModelFixture.Hyperparameters), hyperparameters);
    }

    [Fact]
    public async Task Saving_the_same_trained_model_again_gives_the_same_reference()
    {
        var again = await SavedModelFixture.Registration.SaveAsync(saved.Model, SavedModelFixture.Hyperparameters,
            ArtifactReference.ForLayout(saved.Layout), cancellationToken: Ct);
        Assert.Equal(saved.Reference, again);
    }

    [Fact]
    public async Task Connecting_with_other_X_or_Y_types_is_refused_naming_both()
    {
        var e = await Assert.ThrowsAsync<SavedArtifactTypeMismatchException>(
            () => SavedModel.ConnectAsync<TableData, ClassData>(saved.Reference, LocalProcess, saved.Options, Ct));
        Assert.Contains("model 'workermlp' from Arc.Types.ImageData (wire tag 'image') to Arc.Types.ClassData (wire tag 'class')", e.Message);
        Assert.Contains("requested from Arc.Types.TableData (wire tag 'table') to Arc.Types.ClassData", e.Message);

        e = await Assert.ThrowsAsync<SavedArtifactTypeMismatchException>(
            () => SavedModel.ConnectAsync<ImageData, LabelData>(saved.Reference, Target.InProcess, saved.Options, Ct));
        Assert.Contains("Arc.Types.LabelData (wire tag 'label')", e.Message);
    }

    [Fact]
    public async Task In_process_a_registered_saved_model_is_created_here_with_its_weights()
    {
        await using var connected = await SavedModel.ConnectAsync<ImageData, ClassData>(saved.Reference, Target.InProcess, saved.Options, Ct);
        var there = await connected.PredictAsync(saved.Images, Ct);
        Assert.Equal(saved.Model.Predict(saved.Images).Scores!.Bytes.ToArray(), there.Scores!.Bytes.ToArray());
    }

    [Fact]
    public async Task A_tampered_weights_blob_is_refused_with_an_integrity_error()
    {
        string copy = TestScratch.Create().FullName;
        CopyDirectory(saved.Layout, copy);
        try
        {
            var reference = ArtifactReference.ForLayout(copy, saved.Reference.Tag);
            OciDescriptor weights;
            using (var store = new OciLayoutStore(copy))
            {
                weights = (await store.PullManifestAsync(saved.Reference.Tag!, Ct)).Manifest.FindLayer(ArcArtifactTypes.Titles.Weights)!;
                string blob = Path.Combine(copy, "blobs", "sha256", weights.Digest.Hex);
                var bytes = await File.ReadAllBytesAsync(blob, Ct);
                bytes[bytes.Length / 2] ^= 0x40;
                await File.WriteAllBytesAsync(blob, bytes, Ct);
            }

            var e = await Assert.ThrowsAsync<ArtifactIntegrityException>(
                () => SavedModel.ConnectAsync<ImageData, ClassData>(reference, LocalProcess, saved.Options, Ct));
            Assert.Equal(weights.Digest, e.Expected);
            Assert.Contains(weights.Digest.ToString(), e.Message);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public async Task A_missing_required_package_is_a_clear_error_naming_it()
    {
        var empty = TestScratch.Create();
        try
        {
            var options = saved.Options with { NuGetPackagesDirectory = empty.FullName, CacheDirectory = Path.Combine(empty.FullName, "cache") };
            var e = await Assert.ThrowsAsync<MissingPackageException>(
                () => SavedModel.ConnectAsync<ImageData, ClassData>(saved.Reference, LocalProcess, options, Ct));
            var config = await SavedModel.InspectAsync(saved.Reference, cancellationToken: Ct);
            Assert.Equal(config.Requirements[0].Id, e.PackageId); // the first one checked
            Assert.Equal(config.Requirements[0].Version, e.Version);
            Assert.Contains($"NuGet package {e.PackageId} {e.Version}", e.Message);
            Assert.Contains(empty.FullName, e.Message);
            Assert.Empty(Directory.GetDirectories(Path.Combine(empty.FullName, "cache", "bundles")));
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_repository_reference_or_another_artifact_type_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(
            () => SavedModel.ConnectAsync<ImageData, ClassData>(ArtifactReference.ForLayout(saved.Layout), LocalProcess, saved.Options, Ct));

        using var store = new OciLayoutStore(saved.Layout);
        var other = await new ArtifactContent("application/vnd.example.other").AddLayer("x", "application/octet-stream", new byte[] { 1 }).PrepareAsync(Ct);
        var reference = await store.PushAsync(other, "not-a-model", Ct);
        var e = await Assert.ThrowsAsync<ArtifactFormatException>(
            () => SavedModel.ConnectAsync<ImageData, ClassData>(reference, LocalProcess, saved.Options, Ct));
        Assert.Contains("'application/vnd.example.other' artifact, not a saved Arc model", e.Message);
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
