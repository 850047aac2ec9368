using System.Text.RegularExpressions;
using Arc.Sdk.Tests.Artifacts;
using Arc.Artifacts;
using Arc.Remote;
using Arc.Sdk;
using Arc.Types;
using Arc.Sdk.Tests.Remote;
using Arc.Sdk.Tests.Support;

namespace Arc.Sdk.Tests.Deploy;

/// <summary>
/// Deploy mode end to end, with real parts only: a worker image for a registered model is built from this test
/// assembly's build output, pushed to a real registry (docker-registry), pulled by podman, run with runc offline on the
/// host network, and called through a <see cref="RemoteModel{X, Y}"/>.
/// </summary>
[Collection(DockerRegistryCollection.Name)]
public sealed class WorkerImagePodmanTests(DockerRegistryFixture registry)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Regex ReadyLine = new(@"^ARC-WORKER-READY port=(\d+)$", RegexOptions.Multiline);

    [Fact]
    public async Task A_worker_image_run_by_podman_serves_the_model_as_it_runs_here()
    {
        var hyperparameters = new NearestMeanModel.Hyperparameters(Offset: 0.25f);
        var built = await WorkerImage.BuildAsync(NearestMeanModel.Registration, hyperparameters, new WorkerImageOptions
        {
            Repository = ArtifactReference.Parse($"{registry.Registry}/arc/workers"),
            // This model never touches torch: leave libtorch (~480 MB) out of the image.
            IncludeNativeLibraries = false,
        }, Ct);
        Assert.Empty(built.UnresolvedLibraries);
        Assert.Equal($"worker-nearestmeanmodel-{built.Digest.Short()}", built.Reference.Tag);

        await using var podman = Podman.Create();
        string pinned = $"{registry.Registry}/arc/workers@{built.Digest}";
        await podman.CheckedAsync(Ct, "pull", "--quiet", "--tls-verify=false", pinned);
        // The image holds no token: the deployment hands one in as a 0600 file, as a Kubernetes Secret would.
        var secrets = TestScratch.Create();
        string token = ArcWorkerToken.Generate(), tokenFile = Path.Combine(secrets.FullName, "token");
        File.WriteAllText(tokenFile, token);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(tokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        // Readable by the image's user alone (WorkerImageOptions.User, 65534 by default), as a Secret's fsGroup would make it.
        using (var chown = System.Diagnostics.Process.Start("chown", ["65534:65534", tokenFile]))
            await chown.WaitForExitAsync(Ct);
        string container = (await podman.CheckedAsync(Ct, ["run", "--detach", .. Podman.RunOptions,
            "--volume", $"{tokenFile}:/run/arc/token:ro", "--env", "ARC_WORKER_TOKEN_FILE=/run/arc/token", pinned])).Trim();
        try
        {
            int port = await WaitForReadyAsync(podman, container);
            var address = new Uri($"http://127.0.0.1:{port}");
            await Assert.ThrowsAsync<ArcWorkerAuthenticationException>(() => RemoteModel<ImageData, ClassData>.ConnectAsync(address, ArcWorkerToken.Generate(), Ct));
            await using var remote = await RemoteModel<ImageData, ClassData>.ConnectAsync(address, token, Ct);
            Assert.Equal("nearestmeanmodel", remote.Name);

            using var local = new NearestMeanModel(offset: 0.25f);
            var (train, labels) = DeployTestData.Levels(24, seed: 5);
            var (test, _) = DeployTestData.Levels(20, seed: 6);
            var fittedThere = await remote.FitAsync(train, labels, Ct);
            var fittedHere = local.Fit(train, labels);
            Assert.Equal(fittedHere.Loss, fittedThere.Loss);
            Assert.Equal(24, fittedThere.Samples);

            var there = await remote.PredictAsync(test, Ct);
            var here = local.Predict(test);
            Assert.Equal(here.IndexSpan.ToArray(), there.IndexSpan.ToArray());
            Assert.Equal(here.ClassNames, there.ClassNames);

            // The offset baked into the image mattered: an unfitted model with the default offset answers differently.
            using var defaults = new NearestMeanModel();
            var (probe, _) = DeployTestData.Levels(8, seed: 7);
            using var unfitted = new NearestMeanModel(offset: 0.25f);
            Assert.NotEqual(defaults.Predict(probe).IndexSpan.ToArray(), unfitted.Predict(probe).IndexSpan.ToArray());
            using var weights = new MemoryStream();
            await remote.SaveWeightsAsync(weights, Ct);
            using var copy = new NearestMeanModel(offset: 0.25f);
            weights.Position = 0;
            copy.LoadWeights(weights);
            Assert.Equal(here.IndexSpan.ToArray(), copy.Predict(test).IndexSpan.ToArray());
        }
        finally
        {
            await podman.RunAsync(["rm", "--force", "--time", "0", container], CancellationToken.None);
            secrets.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Job_and_pods_images_run_by_podman_serve_them_from_the_container()
    {
        var options = new WorkerImageOptions { Repository = ArtifactReference.Parse($"{registry.Registry}/arc/workers"), IncludeNativeLibraries = false };
        var job = await WorkerImage.BuildAsync(WhereaboutsJob.Registration, new WhereaboutsJob.Parameters(Count: 2), options, Ct);
        var pods = await WorkerImage.BuildPodsAsync([TestPods.ProcessIdPod], options, Ct);
        Assert.Empty(job.UnresolvedLibraries);

        await using var podman = Podman.Create();
        // The container has its own process namespace and the worker is its entrypoint: process 1 there, never this process.
        await using (var worker = await RunAsync(podman, $"{registry.Registry}/arc/workers@{job.Digest}"))
        {
            await using var remote = await RemoteJob<TextData, ClassData>.ConnectAsync(worker.Address, worker.Token, Ct);
            Assert.Equal("whereaboutsjob", remote.Name);
            var sample = await remote.SampleAsync(2, cancellationToken: Ct);
            Assert.Equal(2, sample.Inputs.Count); // the parameters baked into the image (Count: 2)
            Assert.All(sample.Inputs.Texts, text => Assert.Equal(1, WhereaboutsJob.Parse(text).ProcessId));
        }
        await using (var worker = await RunAsync(podman, $"{registry.Registry}/arc/workers@{pods.Digest}"))
        {
            await using var remote = PodWorker.Connect(worker.Address, new ArcChannelOptions { Token = worker.Token });
            Assert.Equal(1, await TestPods.ProcessIdRemoteAsync(remote, Ct));
        }
    }

    /// <summary>A worker container started from an image: its address and token; disposing removes the container and the token's folder.</summary>
    private sealed record RunningWorker(Podman Podman, string Container, Uri Address, string Token, DirectoryInfo Secrets) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Podman.RunAsync(["rm", "--force", "--time", "0", Container], CancellationToken.None);
            Secrets.Delete(recursive: true);
        }
    }

    /// <summary>Pulls <paramref name="pinned"/>, runs it with a fresh token file (as a Secret would mount it), and waits until it is ready.</summary>
    private static async Task<RunningWorker> RunAsync(Podman podman, string pinned)
    {
        await podman.CheckedAsync(Ct, "pull", "--quiet", "--tls-verify=false", pinned);
        var secrets = TestScratch.Create();
        string token = ArcWorkerToken.Generate(), tokenFile = Path.Combine(secrets.FullName, "token");
        File.WriteAllText(tokenFile, token);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(tokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using (var chown = System.Diagnostics.Process.Start("chown", ["65534:65534", tokenFile]))
            await chown.WaitForExitAsync(Ct);
        string container = (await podman.CheckedAsync(Ct, ["run", "--detach", .. Podman.RunOptions,
            "--volume", $"{tokenFile}:/run/arc/token:ro", "--env", "ARC_WORKER_TOKEN_FILE=/run/arc/token", pinned])).Trim();
        var running = new RunningWorker(podman, container, new Uri("http://127.0.0.1"), token, secrets);
        try
        {
            int port = await WaitForReadyAsync(podman, container);
            return running with { Address = new Uri($"http://127.0.0.1:{port}") };
        }
        catch
        {
            await running.DisposeAsync();
            throw;
        }
    }

    /// <summary>Polls <c>podman logs</c> for the worker's READY line; fails with the logs when the container stops first.</summary>
    private static async Task<int> WaitForReadyAsync(Podman podman, string container)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var (_, output, errors) = await podman.RunAsync(["logs", container], Ct);
            var match = ReadyLine.Match(output);
            if (match.Success) return int.Parse(match.Groups[1].Value);
            string state = (await podman.CheckedAsync(Ct, "inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", container)).Trim();
            if (!state.StartsWith("running", StringComparison.Ordinal) && !state.StartsWith("created", StringComparison.Ordinal))
                Assert.Fail($"the worker container stopped before it was ready ({state}):\n{output}\n{errors}");
            if (DateTime.UtcNow > deadline) Assert.Fail($"the worker container was not ready within 30 s ({state}):\n{output}\n{errors}");
            await Task.Delay(200, Ct);
        }
    }
}
