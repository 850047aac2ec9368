using System.Collections.Concurrent;
using Arc.Sdk.Tests.Remote;
using Arc.Testing;
using Grpc.Core;
using Arc.Artifacts;
using Arc.Kubernetes;
using Arc.Remote;
using Arc.Sdk;
using Arc.Types;
using Arc.Sdk.Tests.Support;

namespace Arc.Sdk.Tests.Develop;

/// <summary>
/// Develop mode (hot reload) against a real Arc.Worker child process: a [Model] assembly rebuilt with Roslyn and Arc's
/// generators into the same folder, reloaded into the same worker; failed reloads are loud; hostile requests refused.
/// </summary>
public sealed class DevelopModeTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly ConcurrentQueue<string> _log = new();
    private readonly DevelopSampleBuild _build = new(TestScratch.Create().FullName);
    private readonly ImageData _images = RemoteTestData.Images(3, 4, 4, seed: 5).Images;

    public void Dispose() => Directory.Delete(_build.Folder, recursive: true);

    private LocalProcessOptions Options => new() { Log = _log.Enqueue };

    private Task<DevelopModel<ImageData, ClassData>> StartAsync()
        => DevelopModel<ImageData, ClassData>.StartAsync(_build.AssemblyPath, DevelopSampleBuild.ModelName, options: Options, cancellationToken: Ct);

    private static long[] Answers(long answer) => [answer, answer, answer];

    private async Task<long[]> PredictAsync(DevelopModel<ImageData, ClassData> model)
        => (await model.PredictAsync(_images, Ct)).IndexSpan.ToArray();

    [Fact]
    public async Task A_rebuilt_model_runs_in_the_same_worker_after_a_reload_and_only_the_changed_file_travels()
    {
        _build.BuildModel(answer: 1);
        await using var model = await StartAsync();
        Assert.Equal(Answers(1), await PredictAsync(model));
        int pid = model.ProcessId;
        var first = await model.StatusAsync(Ct);
        Assert.Equal((1L, DevelopStates.Serving, "devmodel"), (first.Version, first.State, first.Model));
        // The worker shares Arc.Types with user code, so the build folder's copy never needs to travel.
        Assert.Contains("Arc.Types.dll", first.Shared);

        _build.BuildModel(answer: 2);
        var reload = await model.ReloadAsync(Ct);

        Assert.Equal(2, reload.Version);
        Assert.Equal(1, reload.FilesSent); // DevSample.dll; DevSample.Labels.dll and labels.txt are unchanged
        Assert.Equal(new FileInfo(_build.AssemblyPath).Length, reload.BytesSent);
        Assert.Equal(3, reload.FilesInManifest);
        Assert.Equal(1, reload.FilesLeftOut);
        Assert.Equal(pid, model.ProcessId);
        Assert.False(System.Diagnostics.Process.GetProcessById(pid).HasExited);
        Assert.Equal(Answers(2), await PredictAsync(model));
        Assert.Equal("two", (await model.PredictAsync(_images, Ct)).ClassNames[2]);

        // Nothing changed: nothing travels, and the same code serves on as a new version.
        var again = await model.ReloadAsync(Ct);
        Assert.Equal((3L, 0, 0L), (again.Version, again.FilesSent, again.BytesSent));
        Assert.Equal(Answers(2), await PredictAsync(model));

        // Versions 1 and 2 were unloaded and nothing refers to their code any more: the runtime freed both contexts.
        var status = await model.StatusAsync(Ct);
        Assert.Equal((3L, DevelopStates.Serving, 0), (status.Version, status.State, status.Unloading));
    }

    [Fact]
    public async Task A_program_with_a_generated_command_line_serves_in_a_worker_without_Arc_CommandLine_and_its_old_versions_are_freed()
    {
        // Built like a program with a Main: the generators write ArcCommandLine, whose module initializer registers
        // its catalog. The worker has no Arc.CommandLine.dll, so that initializer must not need it.
        _build.BuildModel(answer: 1, commandLine: true);
        Assert.True(DefinesType(_build.AssemblyPath, "ArcCommandLine"), "the sample was compiled without its generated command line");
        Assert.False(File.Exists(Path.Combine(_build.Folder, "Arc.CommandLine.dll")));
        await using var model = await StartAsync();
        Assert.Equal(Answers(1), await PredictAsync(model));

        _build.BuildModel(answer: 2, commandLine: true);
        Assert.Equal(2, (await model.ReloadAsync(Ct)).Version);
        Assert.Equal(Answers(2), await PredictAsync(model));

        // Version 1's registrations (model, protocol modules, command-line catalog) went with it: nothing holds its context.
        var status = await model.StatusAsync(Ct);
        Assert.Equal((2L, DevelopStates.Serving, 0), (status.Version, status.State, status.Unloading));
    }

    private static bool DefinesType(string assemblyPath, string name)
    {
        using var file = File.OpenRead(assemblyPath);
        using var pe = new System.Reflection.PortableExecutable.PEReader(file);
        var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
        return metadata.TypeDefinitions.Any(handle => metadata.GetString(metadata.GetTypeDefinition(handle).Name) == name);
    }

    [Fact]
    public async Task Hyperparameters_reach_every_reloaded_version()
    {
        _build.BuildModel(answer: 1);
        byte[] shift = [0x81, 0xa5, (byte)'s', (byte)'h', (byte)'i', (byte)'f', (byte)'t', 0x03]; // {"shift": 3}
        await using var model = await DevelopModel<ImageData, ClassData>.StartAsync(_build.AssemblyPath, DevelopSampleBuild.ModelName, shift, Options, Ct);
        Assert.Equal(Answers(4), await PredictAsync(model));
        _build.BuildModel(answer: 2);
        await model.ReloadAsync(Ct);
        Assert.Equal(Answers(5), await PredictAsync(model));
    }

    [Fact]
    public async Task A_failed_reload_is_loud_and_no_call_runs_old_code_until_a_good_reload()
    {
        _build.BuildModel(answer: 1);
        await using var model = await StartAsync();
        Assert.Equal(Answers(1), await PredictAsync(model));

        // v2 no longer registers the model under its name.
        _build.BuildModel(answer: 2, registeredName: "renamed");
        var missing = await Assert.ThrowsAsync<ArcReloadException>(() => model.ReloadAsync(Ct));
        Assert.Contains("no model named 'devmodel' is registered by DevSample (it registers: renamed)", missing.Message);
        var call = await Assert.ThrowsAsync<ArcRemoteCallException>(async () => await model.PredictAsync(_images, Ct));
        Assert.Equal(StatusCode.FailedPrecondition, call.StatusCode);
        Assert.Contains("reload 2 of model 'devmodel' failed", call.Detail);
        Assert.Contains("no model named 'devmodel'", call.Detail);
        var status = await model.StatusAsync(Ct);
        Assert.Equal((2L, DevelopStates.Failed), (status.Version, status.State));
        Assert.Contains("no model named 'devmodel'", status.Error);

        // v3's constructor throws: the error names the user's exception, and calls keep failing with it.
        _build.BuildModel(answer: 3, constructorThrows: true);
        var broken = await Assert.ThrowsAsync<ArcReloadException>(() => model.ReloadAsync(Ct));
        Assert.Contains("System.InvalidOperationException: DevModel v3 cannot start: the constructor is broken", broken.Message);
        call = await Assert.ThrowsAsync<ArcRemoteCallException>(async () => await model.PredictAsync(_images, Ct));
        Assert.Contains("DevModel v3 cannot start", call.Detail);
        await Assert.ThrowsAsync<ArcRemoteCallException>(async () => await model.SaveWeightsAsync(new MemoryStream(), Ct));

        // v4 is good again: the same worker recovers.
        _build.BuildModel(answer: 4);
        var good = await model.ReloadAsync(Ct);
        Assert.Equal(4, good.Version);
        Assert.Equal(Answers(4), await PredictAsync(model));
        using var weights = new MemoryStream();
        await model.SaveWeightsAsync(weights, Ct);
        Assert.Equal(new byte[] { 4 }, weights.ToArray());
        Assert.Contains(_log, line => line.Contains("version 3: reload failed", StringComparison.Ordinal));
        // The failed versions' half-loaded contexts were unloaded like the good one's.
        Assert.Equal(0, (await model.StatusAsync(Ct)).Unloading);
    }

    [Fact]
    public async Task Manifest_paths_outside_the_build_folder_and_forged_blobs_are_refused()
    {
        _build.BuildModel(answer: 1);
        await using var model = await StartAsync();
        using var channel = new ArcChannel(model.Address, model.ClientOptions);
        var develop = new ArcDevelopClient(channel);

        byte[] bytes = File.ReadAllBytes(_build.AssemblyPath);
        string digest = BlobDigest.Of(bytes);
        Assert.Empty(await develop.MissingAsync([digest], Ct)); // the first load sent it

        foreach (string path in new[] { "../DevSample.dll", "lib/../../x.dll", "/tmp/DevSample.dll", "C:/x.dll", "lib\\x.dll", "./DevSample.dll", "a//b.dll" })
        {
            var request = new ReloadRequest("DevSample.dll", new Dictionary<string, string> { ["DevSample.dll"] = digest, [path] = digest },
                DevelopSampleBuild.ModelName, null);
            var refused = await Assert.ThrowsAsync<ArcReloadException>(async () =>
            {
                try { await develop.ReloadAsync(request, Ct); }
                catch (ArgumentException e) { throw new ArcReloadException("devmodel", 0, e.Message, e); }
            });
            Assert.Contains($"the manifest path '{path}' is refused", refused.Message);
        }
        Assert.False(File.Exists(Path.Combine(Path.GetTempPath(), "x.dll")));

        // A blob whose bytes do not hash to the digest it claims is not stored.
        string forgedDigest = BlobDigest.Of("something else"u8);
        var forged = await Assert.ThrowsAsync<ArgumentException>(() => develop.PutBlobAsync(forgedDigest, bytes, Ct));
        Assert.Equal(StatusCode.InvalidArgument, Assert.IsType<RpcException>(forged.InnerException).StatusCode);
        Assert.Contains($"blob {forgedDigest} was refused: its {bytes.Length} bytes have the digest {digest}", forged.Message);
        Assert.Equal([forgedDigest], await develop.MissingAsync([forgedDigest], Ct));

        var notADigest = await Assert.ThrowsAsync<ArgumentException>(() => develop.PutBlobAsync("../../etc/passwd", bytes, Ct));
        Assert.Contains("is not a SHA-256 digest", notADigest.Message);
        var askedBadly = await Assert.ThrowsAsync<ArgumentException>(() => develop.MissingAsync(["../blobs", digest], Ct));
        Assert.Contains("'../blobs' is not a SHA-256 digest", askedBadly.Message);
        var unknownBlob = new ReloadRequest("DevSample.dll", new Dictionary<string, string> { ["DevSample.dll"] = forgedDigest }, "devmodel", null);
        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => develop.ReloadAsync(unknownBlob, Ct));
        Assert.Contains("which the worker does not hold", unknown.Message);

        // A refused reload is a failed reload like any other: no stale model, until a good reload.
        await Assert.ThrowsAsync<ArcRemoteCallException>(async () => await model.PredictAsync(_images, Ct));
        await model.ReloadAsync(Ct);
        Assert.Equal(Answers(1), await PredictAsync(model));
    }

    [Fact]
    public async Task The_generated_DevelopAsync_starts_a_develop_worker_from_a_real_build_folder_and_its_client_reloads()
    {
        // This test assembly's own folder is a real `dotnet build` output: TorchSharp, libtorch, Arc and the
        // framework pieces in it are the worker's own and stay behind; the rest travels once.
        var images = RemoteTestData.Images(4, 4, 4, seed: 2).Images;
        var target = Target.LocalProcessWith(Options);
        await using var client = await WorkerMlp.DevelopAsync(target, hidden: 5, cancellationToken: Ct);
        var model = Assert.IsType<DevelopModel<ImageData, ClassData>>(client.Deployed);

        Assert.True(client.IsDevelopMode);
        Assert.Same(target, client.Target);
        Assert.Equal(5, client.Hyperparameters.Hidden);
        Assert.Equal(4, (await client.PredictAsync(images, Ct)).Count);
        Assert.Equal("cpu", client.DeviceName); // WorkerMlp is a torch model on the CPU; the worker's Describe says so
        // Sent: this test assembly, xunit, Roslyn and resources; not TorchSharp, libtorch or other platforms' assets.
        var first = model.LastReload!;
        // A fresh worker held none of them; files with identical bytes (same digest) travel once.
        Assert.InRange(first.FilesSent, first.FilesInManifest / 2, first.FilesInManifest);
        Assert.InRange(first.BytesSent, 1, 40_000_000);       // libtorch alone is 460 MB, other platforms' assets 40 MB
        var status = await model.StatusAsync(Ct);
        Assert.Contains("TorchSharp.dll", status.Shared);
        Assert.Contains("Arc.Sdk.dll", status.Shared);

        var again = await client.ReloadAsync(Ct);
        Assert.Equal((0, 0L), (again.FilesSent, again.BytesSent));
        Assert.True(again.FilesLeftOut > 0);
        Assert.Same(again, model.LastReload);
        using var weights = new MemoryStream();
        await client.SaveWeightsAsync(weights, Ct);
        using var local = new WorkerMlp(hidden: 5);
        weights.Position = 0;
        local.LoadWeights(weights); // the hyperparameters reached the reloaded model: its weights fit 5 hidden units
    }

    [Fact]
    public async Task Develop_mode_on_a_target_that_cannot_reload_code_is_refused_naming_what_works_before_anything_starts()
    {
        var kubernetes = Target.Kubernetes(new KubernetesTargetOptions { Image = "localhost:5000/arc/worker:dev" });

        var e = await Assert.ThrowsAsync<NotSupportedException>(async () => await WorkerMlp.DevelopAsync(kubernetes, hidden: 5, cancellationToken: Ct));

        Assert.Equal("develop mode (hot reload of rebuilt code) runs on Target.LocalProcess and Target.KubernetesDevelop only, not on the kubernetes target: " +
            "develop workermlp with DevelopAsync(Target.LocalProcess, ...) or DevelopAsync(Target.KubernetesDevelop(options), ...), " +
            "or run it as built here with DeployAsync(target, ...)", e.Message);
        Assert.Empty(_log); // no worker was started
    }

    [Fact]
    public async Task A_watched_build_folder_reloads_by_itself_after_a_rebuild()
    {
        _build.BuildModel(answer: 1);
        await using var model = await StartAsync();
        var reloads = System.Threading.Channels.Channel.CreateUnbounded<object>();
        using var watch = model.Watch(r => reloads.Writer.TryWrite(r), e => reloads.Writer.TryWrite(e), TimeSpan.FromMilliseconds(200));

        _build.BuildModel(answer: 6);
        // Waiting is bounded by the test's token only: the reload is awaited, never timed.
        var outcome = await reloads.Reader.ReadAsync(Ct);
        var reload = Assert.IsType<ReloadResult>(outcome);
        Assert.Equal(1, reload.FilesSent);
        Assert.Equal(Answers(6), await PredictAsync(model));
    }

    [Fact]
    public async Task A_killed_develop_worker_fails_the_next_call_naming_it_and_its_folder_goes_with_the_model()
    {
        _build.BuildModel(answer: 1);
        var model = await StartAsync();
        string folder;
        try
        {
            Assert.Equal(Answers(1), await PredictAsync(model));
            folder = Assert.Single(Directory.GetDirectories(ArcTempPaths.Root, "arc-develop-*"),
                path => ArcTempPaths.IsOwnedBy(path, ArcTempPaths.Develop, model.ProcessId));
            using (var child = System.Diagnostics.Process.GetProcessById(model.ProcessId))
            {
                child.Kill();
                await child.WaitForExitAsync(Ct);
            }

            var e = await Assert.ThrowsAsync<ArcWorkerExitedException>(async () => await model.PredictAsync(_images, Ct));
            Assert.Equal(model.ProcessId, e.ProcessId);
            Assert.Contains("during Predict", e.Message);
        }
        finally
        {
            await model.DisposeAsync();
        }
        // The launcher saw its worker die and removed what the worker could not (that a SIGKILLed worker leaves its
        // folder is shown in DevelopStoreTests, which runs alone: here a parallel test's sweep may get there first).
        Assert.False(Directory.Exists(folder), $"disposing the model left its killed worker's folder {folder}");
    }
}
