using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;
using k8s.Models;
using Arc.Kubernetes;
using Arc.Remote;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Sdk.Tests.Remote.Kubernetes;

/// <summary>
/// <c>Target.Kubernetes</c> end to end through KubernetesClient: against the <see cref="FakeKubernetesApiServer"/>,
/// whose fake kubelet runs each pod's worker as a real local process, or against a real cluster when
/// <c>ARC_TEST_KUBECONFIG</c> is set (docs/kubernetes.md). Tests that inspect what the fake received or time its steps
/// run against the fake only.
/// </summary>
public sealed class KubernetesTargetTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A hang guard for waits on the fake, far above the time any of this takes.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    private static ModelRegistration<WorkerMlp, WorkerMlp.Hyperparameters, ImageData, ClassData> Registration
        => Assert.IsType<ModelRegistration<WorkerMlp, WorkerMlp.Hyperparameters, ImageData, ClassData>>(ArcRegistry.FindModel("workermlp"));

    [Fact]
    public async Task A_registered_model_in_a_pod_predicts_over_tls_what_the_same_model_predicts_here_and_dispose_deletes_everything()
    {
        await using var cluster = await KubernetesTestCluster.StartAsync();
        var options = cluster.Options with { Resources = new KubernetesResources { Cpu = "250m", Memory = "512Mi" } };
        var images = RemoteTestData.Images(6, 4, 4, seed: 11).Images;

        var remote = await Registration.DeployAsync(Target.Kubernetes(options), new WorkerMlp.Hyperparameters(Hidden: 5), Ct);
        int? pid;
        await using (remote)
        {
            var pod = Assert.Single(await cluster.LivePodsAsync(Ct));
            Assert.Single(await cluster.ServicesAsync(Ct));
            Assert.Equal(pod.Metadata.Name, Assert.Single(await cluster.SecretsAsync(Ct)).Metadata.Name);
            Assert.Equal(pod.Metadata.Name, Assert.Single(await cluster.NetworkPoliciesAsync(Ct)).Metadata.Name);
            Assert.Equal("https", Assert.IsType<RemoteModel<ImageData, ClassData>>(remote).Address.Scheme);
            Assert.Equal("workermlp", pod.Metadata.Labels["arc.dev/model"]);
            Assert.Equal("arc", pod.Metadata.Labels["app.kubernetes.io/managed-by"]);
            Assert.Equal("workermlp", remote.Name);
            pid = cluster.Fake?.ProcessIdOf(pod.Metadata.Name);
            if (cluster.Fake is not null) Assert.NotNull(pid);

            using var weights = new MemoryStream();
            await remote.SaveWeightsAsync(weights, Ct);
            // The hyperparameters crossed into the pod: its weights fit a 5-unit model only.
            using var local = new WorkerMlp(hidden: 5);
            weights.Position = 0;
            local.LoadWeights(weights);

            var there = await remote.PredictAsync(images, Ct);
            var here = local.Predict(images);
            Assert.Equal(here.IndexSpan.ToArray(), there.IndexSpan.ToArray());
            Assert.Equal(here.Scores!.Bytes.ToArray(), there.Scores!.Bytes.ToArray());
        }

        await cluster.AssertNothingLeftAsync(Ct);
        if (pid is int worker) AssertProcessGone(worker);
    }

    [Fact]
    public async Task The_fake_kubelet_mounts_the_secret_as_the_kubelet_does_and_the_worker_reads_its_token_through_the_links()
    {
        await using var cluster = await KubernetesTestCluster.StartAsync();
        var fake = FakeOnly(cluster);

        string volume;
        await using (var remote = await Registration.DeployAsync(Target.Kubernetes(cluster.Options), new WorkerMlp.Hyperparameters(), Ct))
        {
            var pod = Assert.Single(fake.Pods);
            volume = fake.VolumeDirectory(pod.Metadata.NamespaceProperty, pod.Metadata.Name, "arc-secret");
            var secret = Assert.Single(fake.Secrets);
            foreach (string key in new[] { KubernetesManifests.TokenKey, KubernetesManifests.CertificateKey, KubernetesManifests.PrivateKeyKey })
            {
                string file = Path.Combine(volume, key);
                Assert.Equal(Path.Combine("..data", key), new FileInfo(file).LinkTarget);
                var target = Assert.IsType<FileInfo>(File.ResolveLinkTarget(file, returnFinalTarget: true));
                // defaultMode 0400, plus group read for the pod's fsGroup: what a kubelet makes of it.
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead, target.UnixFileMode);
                Assert.Equal(secret.Data[key], File.ReadAllBytes(file));
            }
            // The worker's own check accepts it (and this is the file it started with: the calls above were authenticated).
            Assert.Equal(Encoding.UTF8.GetString(secret.Data[KubernetesManifests.TokenKey]), ArcWorkerToken.ReadFile(Path.Combine(volume, "token")));
            await remote.PredictAsync(RemoteTestData.Images(1, 4, 4, seed: 3).Images, Ct);
        }
        Assert.False(Directory.Exists(volume), "the pod's secret volume outlived the pod");
    }

    [Fact]
    public async Task Only_the_deployments_token_and_certificate_get_through()
    {
        await using var cluster = await KubernetesTestCluster.StartAsync();
        Uri? address = null;
        var options = cluster.Options with
        {
            ConnectAddress = (pod, _) => ValueTask.FromResult(address = new Uri($"https://{pod.PodIP}:{pod.Port}")),
        };
        await using var remote = await Registration.DeployAsync(Target.Kubernetes(options), new WorkerMlp.Hyperparameters(), Ct);
        var secret = Assert.Single(await cluster.SecretsAsync(Ct));
        string token = Encoding.UTF8.GetString(secret.Data[KubernetesManifests.TokenKey]);
        using var pinned = X509Certificate2.CreateFromPem(Encoding.UTF8.GetString(secret.Data[KubernetesManifests.CertificateKey]));
        Assert.NotNull(address);

        // The right token and certificate, by IP address (no name in the certificate matches it: the pin is what counts).
        await using (var right = await RemoteModel<ImageData, ClassData>.ConnectAsync(address, new ArcChannelOptions { Token = token, ServerCertificate = pinned }, Ct))
            await right.PredictAsync(RemoteTestData.Images(1, 4, 4, seed: 4).Images, Ct);

        // Another token: refused by the worker.
        await Assert.ThrowsAsync<ArcWorkerAuthenticationException>(() =>
            RemoteModel<ImageData, ClassData>.ConnectAsync(address, new ArcChannelOptions { Token = ArcWorkerToken.Generate(), ServerCertificate = pinned }, Ct));

        // The right token, but not pinning the certificate (the system's CAs never signed it) or pinning another
        // deployment's: the client refuses the worker in the TLS handshake, before the token is sent, and says which
        // certificate it saw.
        var other = KubernetesWorkerCredentials.Generate(remote.Name, cluster.Namespace);
        foreach (var certificate in new[] { null, other.Certificate })
        {
            var e = await Assert.ThrowsAsync<ArcWorkerCertificateException>(() =>
                RemoteModel<ImageData, ClassData>.ConnectAsync(address, new ArcChannelOptions { Token = token, ServerCertificate = certificate }, Ct));
            Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(pinned.RawData)), e.PresentedThumbprint);
            Assert.Equal(certificate is null ? null : Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(certificate.RawData)), e.PinnedThumbprint);
        }

        // Cleartext to the TLS port: no answer.
        await Assert.ThrowsAsync<ArcWorkerUnavailableException>(() =>
            RemoteModel<ImageData, ClassData>.ConnectAsync(new Uri($"http://{address.Authority}"), token, Ct));
        // The deployment's own connection still works.
        await remote.PredictAsync(RemoteTestData.Images(1, 4, 4, seed: 4).Images, Ct);
    }

    [Fact]
    public async Task A_pod_the_cluster_refuses_to_create_leaves_no_secret_policy_or_service_behind()
    {
        await using var cluster = await KubernetesTestCluster.StartAsync();
        var fake = FakeOnly(cluster);
        fake.RefuseCreating("pods");

        var e = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await Registration.DeployAsync(Target.Kubernetes(cluster.Options), new WorkerMlp.Hyperparameters(), Ct));

        Assert.Matches("the cluster refused to create pod 'arc-workermlp-[0-9a-f]{10}' in namespace 'arc-tests' \\(403 Forbidden\\)", e.Message);
        Assert.Contains("cannot create resource \"pods\"", e.Message);
        // Everything created before the pod was deleted again, the Secret with its key included.
        // (The pod too: its create may have reached the cluster before the refusal, so it is deleted anyway; 404 is fine.)
        Assert.Equal(["pods", "services", "networkpolicies", "secrets"], fake.Requests.Where(r => r.Method == "DELETE").Select(r => r.PathAndQuery.Split('/')[^2]));
        Assert.Empty(fake.Secrets);
        Assert.Empty(fake.NetworkPolicies);
        Assert.Empty(fake.Services);
        Assert.Empty(fake.Pods);
    }

    [Fact]
    public async Task The_fake_received_labelled_requests_with_resources_gpus_and_the_token_from_the_kubeconfig()
    {
        await using var cluster = await KubernetesTestCluster.StartAsync(gpuCapacity: 1);
        var fake = FakeOnly(cluster);
        var options = cluster.Options with { Resources = new KubernetesResources { Cpu = "1", Memory = "1Gi", Gpus = 1 } };

        await using (var remote = await Registration.DeployAsync(Target.Kubernetes(options), new WorkerMlp.Hyperparameters(), Ct))
            await remote.PredictAsync(RemoteTestData.Images(1, 4, 4, seed: 2).Images, Ct);

        var requests = fake.Requests;
        // Every request passed the fake's bearer-token check (it answers 401 otherwise), and none was refused.
        var created = requests.Where(r => r.Method == "POST").ToList();
        // The Secret before the pod that mounts it, the NetworkPolicy before the pod it protects.
        Assert.Equal(["/api/v1/namespaces/arc-tests/secrets", "/apis/networking.k8s.io/v1/namespaces/arc-tests/networkpolicies",
            "/api/v1/namespaces/arc-tests/services", "/api/v1/namespaces/arc-tests/pods"], created.Select(r => r.PathAndQuery));
        var secret = KubernetesJson.Deserialize<V1Secret>(created[0].Body);
        var policy = KubernetesJson.Deserialize<V1NetworkPolicy>(created[1].Body);
        var service = KubernetesJson.Deserialize<V1Service>(created[2].Body);
        var pod = KubernetesJson.Deserialize<V1Pod>(created[3].Body);
        string name = pod.Metadata.Name;
        Assert.Equal(name, service.Metadata.Name);
        Assert.Equal(cluster.Run, pod.Metadata.Labels["arc-test-run"]);
        Assert.Equal(pod.Metadata.Labels["arc.dev/deployment"], service.Spec.Selector["arc.dev/deployment"]);
        var container = Assert.Single(pod.Spec.Containers);
        Assert.Equal(KubernetesTestCluster.Image, container.Image);
        Assert.Equal(new ResourceQuantity("1"), container.Resources.Limits["nvidia.com/gpu"]);
        Assert.Equal(new ResourceQuantity("1Gi"), container.Resources.Requests["memory"]);
        var env = container.Env.ToDictionary(e => e.Name, e => e.Value);
        Assert.Equal("0.0.0.0", env["ARC_WORKER_BIND"]);
        Assert.Equal(options.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), env["ARC_WORKER_PORT"]);
        Assert.Equal("workermlp", env["ARC_WORKER_MODEL"]);
        Assert.Equal("/var/run/secrets/arc/token", env["ARC_WORKER_TOKEN_FILE"]);
        Assert.Equal(name, pod.Spec.Volumes.Single(v => v.Secret is not null).Secret.SecretName);
        Assert.Equal(name, secret.Metadata.Name);
        Assert.Equal(name, policy.Metadata.Name);
        Assert.Equal(pod.Metadata.Labels["arc.dev/deployment"], policy.Spec.PodSelector.MatchLabels["arc.dev/deployment"]);

        // The secret values went to the API server in the Secret only: no other request (the pod included) holds them.
        foreach (var value in secret.Data.Values)
        {
            string text = Encoding.UTF8.GetString(value);
            Assert.Contains(Convert.ToBase64String(value), created[0].Body);
            Assert.All(requests.Where(r => r != created[0]), r =>
            {
                Assert.DoesNotContain(text, r.Body);
                Assert.DoesNotContain(Convert.ToBase64String(value), r.Body);
            });
        }

        // The pod first (it mounts the secret), the secret last.
        var deleted = requests.Where(r => r.Method == "DELETE").Select(r => r.PathAndQuery).ToList();
        Assert.Equal([$"/api/v1/namespaces/arc-tests/pods/{name}", $"/api/v1/namespaces/arc-tests/services/{name}",
            $"/apis/networking.k8s.io/v1/namespaces/arc-tests/networkpolicies/{name}", $"/api/v1/namespaces/arc-tests/secrets/{name}"], deleted);
    }

    [Fact]
    public async Task A_pod_whose_image_cannot_be_pulled_times_out_with_an_error_naming_it_and_leaves_nothing()
    {
        await using var cluster = await KubernetesTestCluster.StartAsync();
        var options = cluster.Options with { Image = "registry.invalid/arc/no-such-image:0", ReadyTimeout = ShortTimeout(cluster) };

        var e = await Assert.ThrowsAsync<TimeoutException>(async () =>
            await Registration.DeployAsync(Target.Kubernetes(options), new WorkerMlp.Hyperparameters(), Ct));

        Assert.Matches($"pod 'arc-workermlp-[0-9a-f]{{10}}' in namespace '{cluster.Namespace}' was not ready after", e.Message);
        Assert.Contains("phase Pending", e.Message);
        Assert.Contains("registry.invalid/arc/no-such-image:0", e.Message);
        Assert.Matches("ImagePullBackOff|ErrImagePull", e.Message);
        await cluster.AssertNothingLeftAsync(Ct);
    }

    [Fact]
    public async Task A_pod_asking_for_more_gpus_than_the_cluster_has_times_out_saying_why()
    {
        await using var cluster = await KubernetesTestCluster.StartAsync(gpuCapacity: 0);
        var options = cluster.Options with { Resources = new KubernetesResources { Gpus = 64 }, ReadyTimeout = ShortTimeout(cluster) };

        var e = await Assert.ThrowsAsync<TimeoutException>(async () =>
            await Registration.DeployAsync(Target.Kubernetes(options), new WorkerMlp.Hyperparameters(), Ct));

        Assert.Contains("PodScheduled=False (Unschedulable", e.Message);
        Assert.Contains("Insufficient nvidia.com/gpu", e.Message);
        await cluster.AssertNothingLeftAsync(Ct);
    }

    [Fact]
    public async Task A_worker_that_exits_before_it_is_ready_fails_at_once_with_its_exit_code_and_log()
    {
        await using var cluster = await KubernetesTestCluster.StartAsync();
        // A long timeout: failing with KubernetesWorkerFailedException (not TimeoutException) shows it did not wait for it.
        var options = cluster.Options with { ModelAssemblyFileName = "Missing.dll", ReadyTimeout = TimeSpan.FromMinutes(10) };

        var e = await Assert.ThrowsAsync<KubernetesWorkerFailedException>(async () =>
            await Registration.DeployAsync(Target.Kubernetes(options), new WorkerMlp.Hyperparameters(), Ct));

        Assert.Equal(cluster.Namespace, e.Namespace);
        Assert.Matches("^arc-workermlp-[0-9a-f]{10}$", e.PodName);
        Assert.Contains($"pod '{e.PodName}' in namespace '{cluster.Namespace}' stopped before it was ready", e.Message);
        Assert.Contains("phase Failed", e.Message);
        Assert.Contains("terminated with exit code 1", e.Message);
        Assert.Contains("Missing.dll does not exist", e.Message); // the worker's own error, from the pod's log
        await cluster.AssertNothingLeftAsync(Ct);
    }

    [Fact]
    public async Task A_namespace_that_does_not_exist_is_named_in_the_error()
    {
        await using var cluster = await KubernetesTestCluster.StartAsync();
        var options = cluster.Options with { Namespace = "arc-no-such-namespace" };

        var e = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await Registration.DeployAsync(Target.Kubernetes(options), new WorkerMlp.Hyperparameters(), Ct));

        Assert.Matches("the cluster refused to create secret 'arc-workermlp-[0-9a-f]{10}' in namespace 'arc-no-such-namespace' \\(404 NotFound\\)", e.Message);
        Assert.Contains("namespaces \"arc-no-such-namespace\" not found", e.Message);
        Assert.Empty(await cluster.LivePodsAsync(Ct));
    }

    [Fact]
    public async Task Cancelling_while_the_pod_starts_deletes_what_was_created()
    {
        await using var cluster = await KubernetesTestCluster.StartAsync();
        var fake = FakeOnly(cluster);
        var options = cluster.Options with { Image = "registry.invalid/never:0", ReadyTimeout = TimeSpan.FromMinutes(10) };
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var deploy = Registration.DeployAsync(Target.Kubernetes(options), new WorkerMlp.Hyperparameters(), cancel.Token).AsTask();
        var guard = Stopwatch.StartNew();
        while (fake.Pods.Count == 0 && !deploy.IsCompleted && guard.Elapsed < HangGuard)
            await Task.Delay(20, Ct);
        Assert.Single(fake.Pods);
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => deploy);
        Assert.Empty(fake.Pods);
        Assert.Empty(fake.Services);
        Assert.Empty(fake.Secrets);
        Assert.Empty(fake.NetworkPolicies);
    }

    [Fact]
    public async Task The_connect_address_option_sees_the_ready_pod_and_its_address_is_used()
    {
        await using var cluster = await KubernetesTestCluster.StartAsync();
        KubernetesWorkerPod? seen = null;
        var options = cluster.Options with
        {
            ConnectAddress = (pod, _) =>
            {
                seen = pod;
                return ValueTask.FromResult(new Uri($"https://{pod.PodIP}:{pod.Port}"));
            },
        };

        await using var remote = await Registration.DeployAsync(Target.Kubernetes(options), new WorkerMlp.Hyperparameters(), Ct);
        await remote.PredictAsync(RemoteTestData.Images(1, 4, 4, seed: 5).Images, Ct);

        Assert.NotNull(seen);
        var pod = Assert.Single(await cluster.LivePodsAsync(Ct));
        Assert.Equal(new KubernetesWorkerPod(cluster.Namespace, pod.Metadata.Name, pod.Metadata.Name, pod.Status.PodIP, options.Port), seen);
    }

    [Fact]
    public async Task A_factory_cannot_be_deployed_to_a_pod()
    {
        var target = Target.Kubernetes(new KubernetesTargetOptions { Image = KubernetesTestCluster.Image });
        var e = await Assert.ThrowsAsync<NotSupportedException>(async () =>
            await target.DeployAsync<ImageData, ClassData>(() => new WorkerMlp(), Ct));
        Assert.Contains("deploy a registered model", e.Message);
    }

    [Fact]
    public async Task A_cleartext_connect_address_is_refused_naming_the_option_and_leaves_nothing()
    {
        await using var cluster = await KubernetesTestCluster.StartAsync();
        var options = cluster.Options with { ConnectAddress = (pod, _) => ValueTask.FromResult(new Uri($"http://{pod.PodIP}:{pod.Port}")) };

        var e = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await Registration.DeployAsync(Target.Kubernetes(options), new WorkerMlp.Hyperparameters(), Ct));

        Assert.Contains("ConnectAddress returned http://", e.Message);
        Assert.Contains("must be an https:// address", e.Message);
        await cluster.AssertNothingLeftAsync(Ct);
    }

    private static FakeKubernetesApiServer FakeOnly(KubernetesTestCluster cluster)
    {
        Assert.SkipWhen(cluster.Fake is null, "inspects the fake API server; ARC_TEST_KUBECONFIG points at a real cluster");
        return cluster.Fake!;
    }

    // Long enough for a real cluster to report why the pod waits; the fake reports it at once.
    private static TimeSpan ShortTimeout(KubernetesTestCluster cluster)
        => cluster.Fake is null ? TimeSpan.FromSeconds(30) : TimeSpan.FromSeconds(2);

    private static void AssertProcessGone(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            Assert.True(process.HasExited, $"the pod's worker process {pid} is still running");
        }
        catch (ArgumentException)
        {
            // No such process: gone.
        }
    }
}
