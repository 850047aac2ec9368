using Arc.Sdk.Tests.Remote;
using Arc.Testing;
using Grpc.Core;
using Arc.Remote;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Sdk.Tests.Remote.Kubernetes;

/// <summary>
/// <c>Target.KubernetesDevelop</c>: develop mode in a pod, against the <see cref="FakeKubernetesApiServer"/> whose fake
/// kubelet runs the pod's develop worker as a real local Arc.Worker process (or a real cluster with
/// <c>ARC_TEST_KUBECONFIG</c>). The sample assembly is built with Roslyn and Arc's generators
/// (<see cref="DevelopSampleBuild"/>), rebuilt, and reloaded into the same pod.
/// </summary>
public sealed class KubernetesDevelopTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly DevelopSampleBuild _build = new(Support.TestScratch.Create().FullName);
    private readonly ImageData _images = RemoteTestData.Images(3, 4, 4, seed: 5).Images;

    public void Dispose() => Directory.Delete(_build.Folder, recursive: true);

    private async Task<DevelopModel<ImageData, ClassData>> StartModelAsync(KubernetesTestCluster cluster, ReadOnlyMemory<byte>? hyperparameters = null)
    {
        var session = await Target.KubernetesDevelop(cluster.Options)
            .StartDevelopSessionAsync(_build.AssemblyPath, DevelopKinds.Model, DevelopSampleBuild.ModelName, hyperparameters, Ct);
        return await DevelopModel<ImageData, ClassData>.StartAsync(session, Ct);
    }

    private async Task<long[]> PredictAsync(DevelopModel<ImageData, ClassData> model) => (await model.PredictAsync(_images, Ct)).IndexSpan.ToArray();

    private static long[] Answers(long answer) => [answer, answer, answer];

    [Fact]
    public async Task A_rebuilt_model_reloads_into_the_same_pod_sending_only_the_changed_file_and_dispose_deletes_the_pod()
    {
        await using var cluster = await KubernetesTestCluster.StartAsync();
        _build.BuildModel(answer: 1);
        byte[] shift = [0x81, 0xa5, (byte)'s', (byte)'h', (byte)'i', (byte)'f', (byte)'t', 0x03]; // {"shift": 3}
        int? pid;
        await using (var model = await StartModelAsync(cluster, shift))
        {
            var pod = Assert.Single(await cluster.LivePodsAsync(Ct));
            Assert.Equal(pod.Metadata.Name, model.Pod!.PodName);
            Assert.Equal(cluster.Namespace, model.Pod.Namespace);
            Assert.Equal("dev-devmodel", pod.Metadata.Labels["arc.dev/model"]);
            var container = Assert.Single(pod.Spec.Containers);
            Assert.Equal("1", container.Env.Single(e => e.Name == WorkerEnvironment.Develop).Value);
            Assert.True(string.IsNullOrEmpty(container.Env.Single(e => e.Name == WorkerEnvironment.Model).Value)); // the develop worker starts with no user code
            Assert.Equal(0, model.ProcessId); // not a process of this machine
            Assert.Equal("https", model.Address.Scheme);
            Assert.Single(await cluster.SecretsAsync(Ct));
            Assert.Single(await cluster.NetworkPoliciesAsync(Ct));
            pid = cluster.Fake?.ProcessIdOf(pod.Metadata.Name);
            if (cluster.Fake is not null) Assert.NotEqual(Environment.ProcessId, Assert.NotNull(pid));

            // The first load sent the build folder; the hyperparameters reached the model in the pod.
            Assert.Equal(Answers(4), await PredictAsync(model));
            var first = model.LastReload!;
            Assert.Equal((1L, 3, 1), (first.Version, first.FilesSent, first.FilesLeftOut)); // DevSample.dll, DevSample.Labels.dll, labels.txt; not Arc.Types.dll
            Assert.Contains("Arc.Types.dll", (await model.StatusAsync(Ct)).Shared);

            _build.BuildModel(answer: 2);
            var reload = await model.ReloadAsync(Ct);

            Assert.Equal((2L, 1), (reload.Version, reload.FilesSent)); // DevSample.dll only
            Assert.Equal(new FileInfo(_build.AssemblyPath).Length, reload.BytesSent);
            Assert.Equal(pod.Metadata.Name, Assert.Single(await cluster.LivePodsAsync(Ct)).Metadata.Name); // the same pod
            if (pid is int same) Assert.Equal(same, cluster.Fake!.ProcessIdOf(pod.Metadata.Name)); // and the same worker process in it
            Assert.Equal(Answers(5), await PredictAsync(model));
            var status = await model.StatusAsync(Ct);
            Assert.Equal((2L, DevelopStates.Serving), (status.Version, status.State));
        }

        await cluster.AssertNothingLeftAsync(Ct);
        if (pid is int worker) Assert.True(ProcessGone(worker), $"the develop pod's worker {worker} outlived the pod");
    }

    [Fact]
    public async Task A_failed_reload_in_the_pod_is_loud_naming_the_pod_and_a_good_reload_recovers_it()
    {
        await using var cluster = await KubernetesTestCluster.StartAsync();
        _build.BuildModel(answer: 1);
        await using var model = await StartModelAsync(cluster);
        Assert.Equal(Answers(1), await PredictAsync(model));

        _build.BuildModel(answer: 2, registeredName: "renamed");
        var missing = await Assert.ThrowsAsync<ArcReloadException>(() => model.ReloadAsync(Ct));
        Assert.Contains($"reloading model 'devmodel' in develop pod {model.Pod!.Namespace}/{model.Pod.PodName} failed", missing.Message);
        Assert.Contains("no model named 'devmodel' is registered by DevSample (it registers: renamed)", missing.Message);
        var call = await Assert.ThrowsAsync<ArcRemoteCallException>(async () => await model.PredictAsync(_images, Ct));
        Assert.Equal(StatusCode.FailedPrecondition, call.StatusCode);

        _build.BuildModel(answer: 3);
        Assert.Equal(3, (await model.ReloadAsync(Ct)).Version);
        Assert.Equal(Answers(3), await PredictAsync(model));
    }

    [Fact]
    public async Task The_develop_pod_refuses_manifest_paths_outside_its_folder_and_forged_blobs()
    {
        await using var cluster = await KubernetesTestCluster.StartAsync();
        _build.BuildModel(answer: 1);
        await using var model = await StartModelAsync(cluster);
        // A client of the pod as anyone holding the deployment's token and pinned certificate would be.
        using var channel = new ArcChannel(model.Address, model.ClientOptions);
        var develop = new ArcDevelopClient(channel);
        byte[] bytes = File.ReadAllBytes(_build.AssemblyPath);
        string digest = BlobDigest.Of(bytes);

        foreach (string path in new[] { "../DevSample.dll", "/tmp/DevSample.dll", "lib/../../x.dll" })
        {
            var request = new ReloadRequest("DevSample.dll", new Dictionary<string, string> { ["DevSample.dll"] = digest, [path] = digest },
                DevelopSampleBuild.ModelName, null);
            var refused = await Assert.ThrowsAsync<ArgumentException>(() => develop.ReloadAsync(request, Ct));
            Assert.Contains($"the manifest path '{path}' is refused", refused.Message);
        }
        string forgedDigest = BlobDigest.Of("something else"u8);
        var forged = await Assert.ThrowsAsync<ArgumentException>(() => develop.PutBlobAsync(forgedDigest, bytes, Ct));
        Assert.Contains($"blob {forgedDigest} was refused: its {bytes.Length} bytes have the digest {digest}", forged.Message);
        Assert.Equal([forgedDigest], await develop.MissingAsync([forgedDigest], Ct));
        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => develop.ReloadAsync(
            new ReloadRequest("DevSample.dll", new Dictionary<string, string> { ["DevSample.dll"] = forgedDigest }, DevelopSampleBuild.ModelName, null), Ct));
        Assert.Contains("which the worker does not hold", unknown.Message);

        // Refused reloads leave no stale model; the model's own reload brings it back.
        await Assert.ThrowsAsync<ArcRemoteCallException>(async () => await model.PredictAsync(_images, Ct));
        await model.ReloadAsync(Ct);
        Assert.Equal(Answers(1), await PredictAsync(model));
    }

    [Fact]
    public async Task A_developed_job_in_a_pod_serves_the_rebuilt_code_from_the_same_worker()
    {
        await using var cluster = await KubernetesTestCluster.StartAsync();
        _build.BuildJobAndPods(version: 1);
        var session = await Target.KubernetesDevelop(cluster.Options)
            .StartDevelopSessionAsync(_build.AssemblyPath, DevelopKinds.Job, DevelopSampleBuild.JobName, null, Ct);
        await using var job = await DevelopJob<TextData, ClassData>.StartAsync(session, Ct);
        var pod = Assert.Single(await cluster.LivePodsAsync(Ct));
        Assert.Equal("dev-job-devjob", pod.Metadata.Labels["arc.dev/model"]);
        Assert.Equal(pod.Metadata.Name, job.Pod!.PodName);

        // The job's text names the process it ran in: the pod's worker (the fake kubelet's process for it).
        string first = (await job.SampleAsync(1, cancellationToken: Ct)).Inputs.Texts[0];
        Assert.StartsWith("v1 ", first);
        string where = first["v1 ".Length..];
        if (cluster.Fake is { } fake) Assert.Equal(fake.ProcessIdOf(pod.Metadata.Name)?.ToString(System.Globalization.CultureInfo.InvariantCulture), where);

        _build.BuildJobAndPods(version: 2);
        var reload = await job.ReloadAsync(Ct);
        Assert.Equal((2L, 1), (reload.Version, reload.FilesSent));
        Assert.Equal($"v2 {where}", (await job.SampleAsync(1, cancellationToken: Ct)).Inputs.Texts[0]);
    }

    [Fact]
    public async Task Developed_pods_in_a_pod_run_the_rebuilt_code_in_the_same_worker()
    {
        await using var cluster = await KubernetesTestCluster.StartAsync();
        _build.BuildJobAndPods(version: 1);
        var target = Target.KubernetesDevelop(cluster.Options);
        var session = await target.StartDevelopSessionAsync(_build.AssemblyPath, DevelopKinds.Pods, "DevSample", null, Ct);
        await using var worker = await DevelopPodWorker.StartAsync(target, session, Ct);
        Assert.Null(worker.ProcessId);
        Assert.Same(target, worker.Target);
        var pod = Assert.Single(await cluster.LivePodsAsync(Ct));
        Assert.Equal(pod.Metadata.Name, worker.Pod!.PodName);

        // The stand-in's generated remote form names the pod; the pod's worker runs the built DevSample's code.
        string first = await Develop.DevSampleStandIn.WhereRemoteAsync(worker, "!", Ct);
        Assert.Matches(@"^v1 \d+!$", first);
        string where = first[3..^1];
        if (cluster.Fake is { } fake) Assert.Equal(fake.ProcessIdOf(pod.Metadata.Name)?.ToString(System.Globalization.CultureInfo.InvariantCulture), where);

        _build.BuildJobAndPods(version: 2);
        Assert.Equal(1, (await worker.ReloadAsync(Ct)).FilesSent);
        Assert.Equal($"v2 {where}?", await Develop.DevSampleStandIn.WhereRemoteAsync(worker, "?", Ct));
    }

    [Fact]
    public async Task The_generated_DevelopAsync_and_DevelopPodsAsync_start_this_test_assemblys_code_in_develop_pods()
    {
        // This test assembly's own build folder travels to each pod (what the worker ships stays behind).
        await using var cluster = await KubernetesTestCluster.StartAsync();
        var target = Target.KubernetesDevelop(cluster.Options);
        var images = RemoteTestData.Images(4, 4, 4, seed: 2).Images;
        await using (var client = await WorkerMlp.DevelopAsync(target, hidden: 5, cancellationToken: Ct))
        {
            var model = Assert.IsType<DevelopModel<ImageData, ClassData>>(client.Deployed);
            Assert.True(client.IsDevelopMode);
            Assert.Equal(model.Pod!.PodName, Assert.Single(await cluster.LivePodsAsync(Ct)).Metadata.Name);
            Assert.Equal(4, (await client.PredictAsync(images, Ct)).Count);
            Assert.Contains("TorchSharp.dll", (await model.StatusAsync(Ct)).Shared);
            Assert.InRange(model.LastReload!.BytesSent, 1, 40_000_000); // not libtorch (460 MB), not other platforms' assets
            var again = await client.ReloadAsync(Ct);
            Assert.Equal((0, 0L), (again.FilesSent, again.BytesSent));
            using var weights = new MemoryStream();
            await client.SaveWeightsAsync(weights, Ct);
            using var local = new WorkerMlp(hidden: 5);
            weights.Position = 0;
            local.LoadWeights(weights); // the hyperparameters reached the model in the pod: its weights fit 5 hidden units
        }
        await cluster.AssertNothingLeftAsync(Ct);

        await using (var pods = await target.DevelopPodsAsync([TestPods.ProcessIdPod], Ct))
        {
            var pod = Assert.Single(await cluster.LivePodsAsync(Ct));
            Assert.Equal(pod.Metadata.Name, pods.Pod!.PodName);
            int there = await TestPods.ProcessIdRemoteAsync(pods, Ct);
            Assert.NotEqual(Environment.ProcessId, there);
            if (cluster.Fake is { } fake) Assert.Equal(fake.ProcessIdOf(pod.Metadata.Name), there);
        }
        await cluster.AssertNothingLeftAsync(Ct);
    }

    [Fact]
    public async Task Kubernetes_develop_is_a_target_of_its_own_and_plain_Kubernetes_still_refuses_develop_mode()
    {
        var options = new Arc.Kubernetes.KubernetesTargetOptions { Image = "localhost:5000/arc/worker:dev" };
        Assert.Equal("kubernetes-develop", Target.KubernetesDevelop(options).Kind);
        var refused = await Assert.ThrowsAsync<NotSupportedException>(() => Target.Kubernetes(options)
            .StartDevelopSessionAsync(_build.AssemblyPath, DevelopKinds.Model, DevelopSampleBuild.ModelName, null, Ct));
        Assert.Contains("develop devmodel with DevelopAsync(Target.LocalProcess, ...) or DevelopAsync(Target.KubernetesDevelop(options), ...)", refused.Message);
        Assert.Throws<ArgumentException>(() => Target.KubernetesDevelop(options with { Image = " " }));
    }

    private static bool ProcessGone(int processId)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(processId);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }
}
