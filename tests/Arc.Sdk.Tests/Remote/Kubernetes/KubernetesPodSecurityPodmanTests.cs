using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Arc.Sdk.Tests.Artifacts;
using Arc.Sdk.Tests.Deploy;
using Arc.Artifacts;
using Arc.Kubernetes;
using Arc.Remote;
using Arc.Sdk;
using Arc.Types;
using Arc.Sdk.Tests.Support;

namespace Arc.Sdk.Tests.Remote.Kubernetes;

/// <summary>
/// The pod's security settings, for real: no Kubernetes can run here, so a real worker image (built, pushed to
/// docker-registry, pulled by podman) runs under podman with the settings of <see cref="KubernetesManifests.Pod"/>
/// translated one by one — its command, user, group and fsGroup, read-only root file system with the emptyDir as a
/// tmpfs, dropped capabilities, no privilege escalation, the runtime's default seccomp profile — and the deployment's
/// Secret laid out as the kubelet does (owned by root, group fsGroup, 0440 through <c>..data</c> links). The worker must
/// start, read its token and key, and serve TLS with the pinned certificate.
/// </summary>
[Collection(DockerRegistryCollection.Name)]
public sealed class KubernetesPodSecurityPodmanTests(DockerRegistryFixture registry)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Regex ReadyLine = new(@"^ARC-WORKER-READY port=(\d+)$", RegexOptions.Multiline);

    [Fact]
    public async Task A_worker_image_serves_over_tls_with_its_token_under_the_pods_security_settings()
    {
        var hyperparameters = new NearestMeanModel.Hyperparameters(Offset: 0.25f);
        string image = await BuildImageAsync(hyperparameters);
        await using var podman = Podman.Create();
        await podman.CheckedAsync(Ct, "pull", "--quiet", "--tls-verify=false", image);
        var options = new KubernetesTargetOptions { Image = image, Namespace = "ml", AppDirectory = WorkerImage.AppDirectory };
        var workload = KubernetesWorkloads.ForModel(NearestMeanModel.Registration, NearestMeanModel.Registration.WriteParameters(hyperparameters), options);
        var credentials = KubernetesWorkerCredentials.Generate(KubernetesManifests.ObjectName(workload), "ml");

        await using var pod = await RunPodAsync(podman, workload, options, credentials);

        await using (var remote = await RemoteModel<ImageData, ClassData>.ConnectAsync(pod.Address, credentials.ClientOptions, Ct))
        {
            Assert.Equal("nearestmeanmodel", remote.Name);
            var (train, labels) = DeployTestData.Levels(12, seed: 5);
            Assert.Equal(12, (await remote.FitAsync(train, labels, Ct)).Samples);
            await remote.PredictAsync(DeployTestData.Levels(4, seed: 6).Images, Ct);
        }
        await Assert.ThrowsAsync<ArcWorkerAuthenticationException>(() => RemoteModel<ImageData, ClassData>.ConnectAsync(pod.Address,
            credentials.ClientOptions with { Token = ArcWorkerToken.Generate() }, Ct));

        // It really ran as the pod's user, on a read-only root.
        string state = (await podman.CheckedAsync(Ct, "inspect", "--format", "{{.Config.User}} {{.HostConfig.ReadonlyRootfs}}", pod.Container)).Trim();
        Assert.Equal($"{pod.User}:{pod.Group} true", state);
    }

    [Fact]
    public async Task A_models_worker_image_serves_the_pods_of_its_assembly_when_the_pod_asks_for_pods()
    {
        // The image is built for a model, and names it in its ENV; the pods manifest must override that.
        string image = await BuildImageAsync(new NearestMeanModel.Hyperparameters());
        await using var podman = Podman.Create();
        await podman.CheckedAsync(Ct, "pull", "--quiet", "--tls-verify=false", image);
        var options = new KubernetesTargetOptions { Image = image, Namespace = "ml", AppDirectory = WorkerImage.AppDirectory };
        var workload = KubernetesWorkloads.ForPods([TestPods.ScaleAsyncPod], options);
        var credentials = KubernetesWorkerCredentials.Generate(KubernetesManifests.ObjectName(workload), "ml");

        await using var pod = await RunPodAsync(podman, workload, options, credentials);
        await using var worker = PodWorker.Connect(pod.Address, credentials.ClientOptions);

        Assert.Equal(new double[] { 2.5, -5.0 }, await TestPods.ScaleRemoteAsync(worker, [1, -2], 2.5, Ct));
        // It ran in the container: the process the pod reports is not this one (and the container's own pid space numbers it).
        Assert.NotEqual(Environment.ProcessId, await TestPods.ProcessIdRemoteAsync(worker, Ct));
        string hostName = (await podman.CheckedAsync(Ct, "inspect", "--format", "{{.Config.Hostname}}", pod.Container)).Trim();
        Assert.Equal(hostName, await TestPods.HostNameRemoteAsync(worker, Ct));
    }

    private async Task<string> BuildImageAsync(NearestMeanModel.Hyperparameters hyperparameters)
    {
        var built = await WorkerImage.BuildAsync(NearestMeanModel.Registration, hyperparameters, new WorkerImageOptions
        {
            Repository = ArtifactReference.Parse($"{registry.Registry}/arc/workers"),
            IncludeNativeLibraries = false, // this model never touches torch
        }, Ct);
        return $"{registry.Registry}/arc/workers@{built.Digest}";
    }

    /// <summary>
    /// Runs the container of <see cref="KubernetesManifests.Pod"/> for <paramref name="workload"/> under podman, its
    /// settings translated one by one, and waits until the worker is ready.
    /// </summary>
    private static async Task<PodmanPod> RunPodAsync(Podman podman, KubernetesWorkload workload, KubernetesTargetOptions options,
        KubernetesWorkerCredentials credentials)
    {
        var spec = KubernetesManifests.Pod(workload, options).Spec;
        var container = spec.Containers.Single();
        long user = spec.SecurityContext.RunAsUser!.Value, group = spec.SecurityContext.RunAsGroup!.Value, fsGroup = spec.SecurityContext.FsGroup!.Value;
        Assert.NotEqual(0, user);

        var volumes = TestScratch.Create();
        List<string> run =
        [
            "run", "--detach", .. Podman.RunOptions,
            "--entrypoint", JsonSerializer.Serialize(container.Command),
            "--user", $"{user}:{group}", "--group-add", fsGroup.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ];
        try
        {
            if (container.SecurityContext.ReadOnlyRootFilesystem == true) run.AddRange(["--read-only", "--read-only-tmpfs=false"]);
            if (container.SecurityContext.AllowPrivilegeEscalation == false) run.AddRange(["--security-opt", "no-new-privileges"]);
            foreach (string capability in container.SecurityContext.Capabilities.Drop) run.AddRange(["--cap-drop", capability]);
            Assert.Equal("RuntimeDefault", container.SecurityContext.SeccompProfile.Type); // podman's default profile is its RuntimeDefault
            foreach (var mount in container.VolumeMounts)
            {
                var volume = spec.Volumes.Single(v => v.Name == mount.Name);
                if (volume.EmptyDir is not null)
                {
                    run.AddRange(["--tmpfs", $"{mount.MountPath}:rw,mode=1777"]);
                    continue;
                }
                Assert.NotNull(volume.Secret);
                string local = Path.Combine(volumes.FullName, volume.Name);
                FakeKubernetesApiServer.WriteSecretVolume(local, KubernetesManifests.Secret(workload, options, credentials), volume.Secret.DefaultMode!.Value, fsGroup: true);
                // What the kubelet does for an fsGroup: the volume's files belong to that group; the folders let it in.
                await CheckedAsync("chown", "-R", $"0:{fsGroup}", local);
                await CheckedAsync("chmod", "0750", volumes.FullName, local, Directory.GetDirectories(local, "..*").Single(d => !d.EndsWith("..data", StringComparison.Ordinal)));
                run.AddRange(["--volume", $"{local}:{mount.MountPath}:{(mount.ReadOnlyProperty == true ? "ro" : "rw")}"]);
            }
            foreach (var variable in container.Env)
                // Host network here: loopback and a free port instead of 0.0.0.0:7070 (the worker serves TLS either way,
                // because its certificate is set).
                run.AddRange(["--env", variable.Name switch
                {
                    "ARC_WORKER_BIND" => "ARC_WORKER_BIND=127.0.0.1",
                    "ARC_WORKER_PORT" => "ARC_WORKER_PORT=0",
                    _ => $"{variable.Name}={variable.Value}",
                }]);
            run.Add(options.Image);

            string id = (await podman.CheckedAsync(Ct, [.. run])).Trim();
            int port = await WaitForReadyAsync(podman, id);
            return new PodmanPod(id, new Uri($"https://127.0.0.1:{port}"), user, group, volumes);
        }
        catch
        {
            volumes.Delete(recursive: true);
            throw;
        }
    }

    /// <summary>A running container standing for a pod; disposing deletes its volumes' folder (the podman store goes with the Podman).</summary>
    private sealed record PodmanPod(string Container, Uri Address, long User, long Group, DirectoryInfo Volumes) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            Volumes.Delete(recursive: true);
            return ValueTask.CompletedTask;
        }
    }

    private static async Task CheckedAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        string errors = await process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} failed: {errors}");
    }

    private static async Task<int> WaitForReadyAsync(Podman podman, string container)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var (_, output, errors) = await podman.RunAsync(["logs", container], Ct);
            var match = ReadyLine.Match(output);
            if (match.Success) return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            string state = (await podman.CheckedAsync(Ct, "inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", container)).Trim();
            if (!state.StartsWith("running", StringComparison.Ordinal) && !state.StartsWith("created", StringComparison.Ordinal))
                Assert.Fail($"the worker container stopped before it was ready ({state}):\n{output}\n{errors}");
            if (DateTime.UtcNow > deadline) Assert.Fail($"the worker container was not ready within 30 s ({state}):\n{output}\n{errors}");
            await Task.Delay(200, Ct);
        }
    }
}
