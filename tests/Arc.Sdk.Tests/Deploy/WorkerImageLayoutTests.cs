using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Arc.Artifacts;
using Arc.Sdk;
using Arc.Types;
using Arc.Sdk.Tests.Remote;
using Arc.Sdk.Tests.Support;

namespace Arc.Sdk.Tests.Deploy;

/// <summary>
/// Worker images written to an OCI layout and read back through <see cref="OciLayoutStore"/>: equal inputs give equal
/// digests, and the layers are deterministic tars of relative, root-owned entries with the files they should hold.
/// </summary>
public sealed class WorkerImageLayoutTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly string _directory = TestScratch.Create().FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private Task<WorkerImageResult> BuildAsync(string layout, float offset)
        => WorkerImage.BuildAsync(NearestMeanModel.Registration, new NearestMeanModel.Hyperparameters(Offset: offset), new WorkerImageOptions
        {
            Repository = ArtifactReference.ForLayout(Path.Combine(_directory, layout)),
            IncludeNativeLibraries = false,
        }, Ct);

    [Fact]
    public async Task Building_the_same_image_twice_gives_the_same_digest_and_new_hyperparameters_change_only_the_config()
    {
        var first = await BuildAsync("one", offset: 0.25f);
        var second = await BuildAsync("two", offset: 0.25f);
        Assert.Equal(first.Digest, second.Digest);
        Assert.Equal(first.Manifest.Layers, second.Manifest.Layers);
        using (var one = new OciLayoutStore(Path.Combine(_directory, "one")))
        using (var two = new OciLayoutStore(Path.Combine(_directory, "two")))
        {
            var a = await one.PullManifestAsync(first.Reference.Tag!, Ct);
            var b = await two.PullManifestAsync(second.Reference.Tag!, Ct);
            Assert.Equal(a.Bytes.ToArray(), b.Bytes.ToArray());
        }

        var other = await BuildAsync("one", offset: 0.5f);
        Assert.NotEqual(first.Digest, other.Digest);
        Assert.NotEqual(first.Manifest.Config.Digest, other.Manifest.Config.Digest);
        // The hyperparameters live in the config's environment: every layer is shared, so a registry stores them once.
        Assert.Equal(first.Manifest.Layers, other.Manifest.Layers);
    }

    [Fact]
    public async Task The_layers_are_relative_root_owned_sorted_tars_holding_libraries_runtime_and_app()
    {
        var built = await BuildAsync("image", offset: 0.25f);
        using var store = new OciLayoutStore(Path.Combine(_directory, "image"));
        var pulled = await store.PullManifestAsync(built.Reference.Tag!, Ct);
        Assert.Null(pulled.Manifest.ArtifactType);
        Assert.Equal(OciImageMediaTypes.ImageConfig, pulled.Manifest.Config.MediaType);
        Assert.All(pulled.Manifest.Layers, layer => Assert.Equal(OciImageMediaTypes.LayerTarGzip, layer.MediaType));
        // Natives left out and no other RID-specific assets: system libraries, runtime, app.
        Assert.Equal(["system-libraries", "dotnet-runtime", "app"], built.Layers.Select(layer => layer.Name));

        using var config = JsonDocument.Parse(await store.ReadBlobAsync(pulled.Manifest.Config, cancellationToken: Ct));
        var root = config.RootElement;
        Assert.Equal("linux", root.GetProperty("os").GetString());
        Assert.Equal(OciImageConfig.CurrentArchitecture(), root.GetProperty("architecture").GetString());
        var run = root.GetProperty("config");
        Assert.Equal(["/usr/share/dotnet/dotnet", "/app/Arc.Worker.dll"], run.GetProperty("Entrypoint").EnumerateArray().Select(e => e.GetString()));
        var env = run.GetProperty("Env").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Contains("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1", env);
        // The worker's GC setting travels in the app folder's Arc.Worker.runtimeconfig.json, not in the environment.
        Assert.DoesNotContain(env, line => line.StartsWith("DOTNET_GCLOHThreshold=", StringComparison.Ordinal));
        Assert.Contains("ARC_WORKER_MODEL=nearestmeanmodel", env);
        Assert.Contains("ARC_WORKER_ASSEMBLY=/app/Arc.Sdk.Tests.dll", env);
        string wire = Convert.ToBase64String(NearestMeanModel.Registration.WriteParameters(new NearestMeanModel.Hyperparameters(Offset: 0.25f)));
        Assert.Contains($"ARC_WORKER_HYPERPARAMETERS={wire}", env);
        Assert.Equal("/app", run.GetProperty("WorkingDir").GetString());
        Assert.Equal("65534:65534", run.GetProperty("User").GetString());
        Assert.Equal("nearestmeanmodel", run.GetProperty("Labels").GetProperty(WorkerImage.ModelLabel).GetString());
        var diffIds = root.GetProperty("rootfs").GetProperty("diff_ids").EnumerateArray().Select(e => e.GetString()).ToArray();
        Assert.Equal(pulled.Manifest.Layers.Count, diffIds.Length);

        var layers = new List<Dictionary<string, TarEntry>>();
        for (int i = 0; i < pulled.Manifest.Layers.Count; i++)
        {
            var tar = await Gunzip(store, pulled.Manifest.Layers[i]);
            Assert.Equal(diffIds[i], "sha256:" + Convert.ToHexStringLower(SHA256.HashData(tar)));
            layers.Add(ReadAndCheckEntries(tar));
        }

        var (system, runtime, app) = (layers[0], layers[1], layers[2]);
        Assert.Contains(system.Keys, name => Path.GetFileName(name).StartsWith("ld-linux", StringComparison.Ordinal));
        Assert.Contains(system.Keys, name => Path.GetFileName(name) == "libc.so.6");
        Assert.Contains(system.Keys, name => Path.GetFileName(name) == "libstdc++.so.6");
        Assert.Contains(system.Keys, name => Path.GetFileName(name).StartsWith("libssl.so", StringComparison.Ordinal));
        Assert.Equal(TarEntryType.Directory, system["tmp/"].EntryType);
        Assert.Equal((UnixFileMode)0b1_111_111_111, system["tmp/"].Mode);
        Assert.Equal(built.SystemLibraries.Select(path => path.TrimStart('/')).Order(StringComparer.Ordinal),
            system.Values.Where(entry => entry.EntryType == TarEntryType.RegularFile).Select(entry => entry.Name).Order(StringComparer.Ordinal));

        Assert.Contains("usr/share/dotnet/dotnet", runtime.Keys);
        Assert.Equal((UnixFileMode)0b111_101_101, runtime["usr/share/dotnet/dotnet"].Mode);
        Assert.Contains(runtime.Keys, name => name.StartsWith("usr/share/dotnet/host/fxr/", StringComparison.Ordinal) && name.EndsWith("/libhostfxr.so", StringComparison.Ordinal));
        Assert.Contains(runtime.Keys, name => name.StartsWith("usr/share/dotnet/shared/Microsoft.NETCore.App/", StringComparison.Ordinal) && name.EndsWith("/System.Private.CoreLib.dll", StringComparison.Ordinal));
        Assert.Contains(runtime.Keys, name => name.StartsWith("usr/share/dotnet/shared/Microsoft.AspNetCore.App/", StringComparison.Ordinal));
        Assert.DoesNotContain(runtime.Keys, name => name.StartsWith("usr/share/dotnet/sdk", StringComparison.Ordinal));

        Assert.Contains("app/Arc.Worker.dll", app.Keys);
        Assert.Contains("app/Arc.Sdk.Tests.dll", app.Keys);
        Assert.DoesNotContain(app.Keys, name => name.StartsWith("app/runtimes/", StringComparison.Ordinal));
        Assert.DoesNotContain(layers.SelectMany(layer => layer.Keys), name => name.Contains("libtorch", StringComparison.Ordinal));
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Arc.Worker.dll"), Ct), Content(app["app/Arc.Worker.dll"]));
    }

    [Fact]
    public async Task A_jobs_image_selects_the_job_and_its_parameters_and_a_pods_image_every_pod_of_the_assembly()
    {
        var options = new WorkerImageOptions { Repository = ArtifactReference.ForLayout(Path.Combine(_directory, "kinds")), IncludeNativeLibraries = false };
        var job = await WorkerImage.BuildAsync(WhereaboutsJob.Registration, new WhereaboutsJob.Parameters(Count: 3), options, Ct);
        var pods = await WorkerImage.BuildPodsAsync([TestPods.ProcessIdPod], options, Ct);
        Assert.Equal($"worker-whereaboutsjob-{job.Digest.Short()}", job.Reference.Tag);
        Assert.Equal($"worker-pods-Arc.Sdk.Tests-{pods.Digest.Short()}", pods.Reference.Tag);
        // Same app, same runtime: only the config differs.
        Assert.Equal(job.Manifest.Layers, pods.Manifest.Layers);

        var (jobEnv, jobLabels) = await ConfigAsync(job);
        Assert.Contains("ARC_WORKER_JOB=whereaboutsjob", jobEnv);
        Assert.Contains($"ARC_WORKER_PARAMETERS={Convert.ToBase64String(WhereaboutsJob.Registration.WriteParameters(new(Count: 3)))}", jobEnv);
        Assert.DoesNotContain(jobEnv, line => line.StartsWith("ARC_WORKER_MODEL=", StringComparison.Ordinal) || line.StartsWith("ARC_WORKER_PODS=", StringComparison.Ordinal));
        Assert.Equal(("job", "whereaboutsjob", typeof(WhereaboutsJob).FullName), (jobLabels[WorkerImage.KindLabel], jobLabels[WorkerImage.ModelLabel], jobLabels[WorkerImage.ModelTypeLabel]));
        Assert.Equal("Arc worker for job 'whereaboutsjob'", jobLabels["org.opencontainers.image.title"]);

        var (podsEnv, podsLabels) = await ConfigAsync(pods);
        Assert.Contains("ARC_WORKER_PODS=1", podsEnv);
        Assert.Contains("ARC_WORKER_ASSEMBLY=/app/Arc.Sdk.Tests.dll", podsEnv);
        // Empty selectors, as a pod's manifest sets them: nothing else in the environment could make it serve a model.
        Assert.Contains("ARC_WORKER_MODEL=", podsEnv);
        Assert.Contains("ARC_WORKER_JOB=", podsEnv);
        Assert.Equal(("pod", "Arc.Sdk.Tests"), (podsLabels[WorkerImage.KindLabel], podsLabels[WorkerImage.ModelLabel]));
    }

    private async Task<(string[] Env, Dictionary<string, string> Labels)> ConfigAsync(WorkerImageResult built)
    {
        using var store = new OciLayoutStore(Path.Combine(_directory, "kinds"));
        var pulled = await store.PullManifestAsync(built.Reference.Tag!, Ct);
        using var config = JsonDocument.Parse(await store.ReadBlobAsync(pulled.Manifest.Config, cancellationToken: Ct));
        var run = config.RootElement.GetProperty("config");
        return (run.GetProperty("Env").EnumerateArray().Select(e => e.GetString()!).ToArray(),
            run.GetProperty("Labels").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!));
    }

    [Fact]
    public async Task Hyperparameter_bytes_that_are_no_map_for_the_model_are_refused_before_anything_is_built()
    {
        string layout = Path.Combine(_directory, "refused");
        var e = await Assert.ThrowsAsync<Arc.Types.ArcFormatException>(() => WorkerImage.BuildAsync(NearestMeanModel.Registration,
            new byte[] { 0x93, 0x01, 0x02, 0x03 }, new WorkerImageOptions { Repository = ArtifactReference.ForLayout(layout) }, Ct));
        Assert.Contains("nearestmeanmodel", e.Message);
        Assert.False(Directory.Exists(layout));
    }

    private static async Task<byte[]> Gunzip(IArtifactStore store, OciDescriptor layer)
    {
        await using var blob = await store.OpenBlobAsync(layer, Ct);
        await using var gzip = new GZipStream(blob, CompressionMode.Decompress);
        using var tar = new MemoryStream();
        await gzip.CopyToAsync(tar, Ct);
        return tar.ToArray();
    }

    /// <summary>Reads every entry, checking the properties that make layers safe and reproducible; entries by name, data copied.</summary>
    private static Dictionary<string, TarEntry> ReadAndCheckEntries(byte[] tar)
    {
        var entries = new Dictionary<string, TarEntry>(StringComparer.Ordinal);
        var seenDirectories = new HashSet<string>(StringComparer.Ordinal);
        string? previous = null;
        using var reader = new TarReader(new MemoryStream(tar));
        while (reader.GetNextEntry(copyData: true) is { } entry)
        {
            string name = entry.Name;
            Assert.False(name.StartsWith('/'), $"'{name}' is absolute");
            Assert.DoesNotContain(name.TrimEnd('/').Split('/'), segment => segment is "" or "." or "..");
            Assert.Contains(entry.EntryType, new[] { TarEntryType.Directory, TarEntryType.RegularFile });
            Assert.Equal(0, entry.Uid);
            Assert.Equal(0, entry.Gid);
            Assert.Equal(DateTimeOffset.UnixEpoch, entry.ModificationTime);
            string path = name.TrimEnd('/');
            if (previous is not null) Assert.True(string.CompareOrdinal(previous, path) < 0, $"'{path}' comes after '{previous}'");
            previous = path;
            int slash = path.LastIndexOf('/');
            if (slash > 0) Assert.True(seenDirectories.Contains(path[..slash]), $"'{path}' comes before its directory");
            if (entry.EntryType == TarEntryType.Directory) seenDirectories.Add(path);
            entries.Add(name, entry);
        }
        Assert.NotEmpty(entries);
        return entries;
    }

    private static byte[] Content(TarEntry entry)
    {
        using var copy = new MemoryStream();
        entry.DataStream!.Position = 0;
        entry.DataStream.CopyTo(copy);
        return copy.ToArray();
    }
}
