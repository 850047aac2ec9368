using System.Runtime.CompilerServices;
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
/// The Pod, Service, NetworkPolicy, Secret and Job manifests of <see cref="KubernetesManifests"/>: strict YAML round-trips through
/// KubernetesClient's own serializer (an unknown or misspelled field fails), golden files checked in (rewrite them with
/// <c>ARC_UPDATE_GOLDEN=1</c>, then review the diff), the rules for labels, resources and names, the pod's security
/// settings, and that no secret value is in any manifest but the Secret.
/// </summary>
public sealed class KubernetesManifestTests
{
    private static bool Updating => Environment.GetEnvironmentVariable("ARC_UPDATE_GOLDEN") == "1";

    private static ModelRegistration<WorkerMlp, WorkerMlp.Hyperparameters, ImageData, ClassData> Registration
        => Assert.IsType<ModelRegistration<WorkerMlp, WorkerMlp.Hyperparameters, ImageData, ClassData>>(ArcRegistry.FindModel("workermlp"));

    private static readonly KubernetesTargetOptions Options = new()
    {
        Image = "registry.example.com/arc/worker-mlp:1.0",
        Namespace = "ml",
        Resources = new KubernetesResources { Cpu = "500m", Memory = "1Gi", Gpus = 2 },
        Labels = new Dictionary<string, string> { ["team"] = "vision" },
    };

    private static readonly KubernetesWorkerCredentials Credentials = KubernetesWorkerCredentials.Generate("arc-workermlp-0123456789", "ml");

    private static KubernetesWorkload Workload
        => KubernetesWorkloads.ForModel(Registration, Registration.WriteParameters(new WorkerMlp.Hyperparameters(Hidden: 5)), Options, "0123456789");

    [Fact]
    public void The_pod_round_trips_strictly_and_matches_its_golden_file()
        => AssertRoundTripAndGolden(KubernetesManifests.Pod(Workload, Options), "pod.yaml");

    [Fact]
    public void The_service_round_trips_strictly_and_matches_its_golden_file()
        => AssertRoundTripAndGolden(KubernetesManifests.Service(Workload, Options), "service.yaml");

    [Fact]
    public void The_network_policy_round_trips_strictly_and_matches_its_golden_file()
        => AssertRoundTripAndGolden(KubernetesManifests.NetworkPolicy(Workload, Options), "networkpolicy.yaml");

    [Fact]
    public void The_secret_round_trips_strictly()
    {
        // No golden file: its values are random, and must not be checked in anyway.
        var secret = KubernetesManifests.Secret(Workload, Options, Credentials);
        string yaml = KubernetesYaml.Serialize(secret);
        Assert.Equal(yaml, KubernetesYaml.Serialize(KubernetesYaml.Deserialize<V1Secret>(yaml, strict: true)));
        Assert.Equal("Opaque", secret.Type);
        Assert.True(secret.Immutable);
        Assert.Equal("arc-workermlp-0123456789", secret.Metadata.Name);
        Assert.Equal(["tls.crt", "tls.key", "token"], secret.Data.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(Credentials.Token, Encoding.UTF8.GetString(secret.Data["token"]));
        Assert.Equal(Credentials.KeyPem, Encoding.UTF8.GetString(secret.Data["tls.key"]));
        Assert.Equal(Credentials.CertificatePem, Encoding.UTF8.GetString(secret.Data["tls.crt"]));
    }

    [Fact]
    public void No_secret_value_is_in_any_manifest_but_the_secret()
    {
        var manifests = new object[]
        {
            KubernetesManifests.Pod(Workload, Options), KubernetesManifests.Service(Workload, Options),
            KubernetesManifests.NetworkPolicy(Workload, Options), KubernetesManifests.Job(Workload, Options),
        };
        string secretJson = KubernetesJson.Serialize(KubernetesManifests.Secret(Workload, Options, Credentials));
        // The key's PEM body, line by line, catches a key written in another wrapping.
        var keyLines = Credentials.KeyPem.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("-----", StringComparison.Ordinal));
        var secrets = new[] { Credentials.Token, Credentials.KeyPem }.Concat(keyLines).ToList();
        foreach (string value in secrets.ToList())
            secrets.Add(Convert.ToBase64String(Encoding.UTF8.GetBytes(value)));
        foreach (string value in secrets)
        {
            // Where they belong (so this test can see them at all): the Secret's data, base64 in JSON.
            if (value == Credentials.Token || value == Credentials.KeyPem)
                Assert.Contains(Convert.ToBase64String(Encoding.UTF8.GetBytes(value)), secretJson);
            foreach (var manifest in manifests)
            {
                Assert.DoesNotContain(value, KubernetesJson.Serialize(manifest));
                Assert.DoesNotContain(value, KubernetesYaml.Serialize(manifest));
            }
        }
        // The pod refers to the Secret by name and to its values by file path.
        var pod = KubernetesManifests.Pod(Workload, Options);
        Assert.All(pod.Spec.Containers[0].Env, e => Assert.Null(e.ValueFrom));
        Assert.Equal("arc-workermlp-0123456789", pod.Spec.Volumes.Single(v => v.Name == "arc-secret").Secret.SecretName);
    }

    [Fact]
    public void The_pod_runs_locked_down_and_reads_its_secrets_from_a_read_only_volume()
    {
        var spec = KubernetesManifests.Pod(Workload, Options).Spec;
        Assert.False(spec.AutomountServiceAccountToken);
        Assert.True(spec.SecurityContext.RunAsNonRoot);
        Assert.Equal(65534, spec.SecurityContext.RunAsUser);
        Assert.Equal(65534, spec.SecurityContext.RunAsGroup);
        Assert.Equal(65534, spec.SecurityContext.FsGroup);
        var container = Assert.Single(spec.Containers);
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
        Assert.Null(container.SecurityContext.Capabilities.Add);
        Assert.Equal("RuntimeDefault", container.SecurityContext.SeccompProfile.Type);
        Assert.Null(container.SecurityContext.Privileged);

        var secretVolume = spec.Volumes.Single(v => v.Secret is not null);
        Assert.Equal(Convert.ToInt32("400", 8), secretVolume.Secret.DefaultMode);
        var secretMount = container.VolumeMounts.Single(m => m.Name == secretVolume.Name);
        Assert.True(secretMount.ReadOnlyProperty);
        Assert.Equal(KubernetesManifests.SecretDirectory, secretMount.MountPath);
        var tmp = container.VolumeMounts.Single(m => m.MountPath == "/tmp");
        Assert.NotNull(spec.Volumes.Single(v => v.Name == tmp.Name).EmptyDir);

        var env = container.Env.ToDictionary(e => e.Name, e => e.Value);
        Assert.Equal("/var/run/secrets/arc/token", env["ARC_WORKER_TOKEN_FILE"]);
        Assert.Equal("/var/run/secrets/arc/tls.crt", env["ARC_WORKER_TLS_CERTIFICATE"]);
        Assert.Equal("/var/run/secrets/arc/tls.key", env["ARC_WORKER_TLS_KEY"]);
        Assert.Equal("/tmp", env["HOME"]);

        // The batch Job runs locked down the same way, and needs its token to start as well.
        var job = KubernetesManifests.Job(Workload, Options with { RunAsUser = 1000 }).Spec.Template.Spec;
        Assert.False(job.AutomountServiceAccountToken);
        Assert.Equal(1000, job.SecurityContext.RunAsUser);
        Assert.True(job.Containers[0].SecurityContext.ReadOnlyRootFilesystem);
        Assert.Equal("arc-workermlp-0123456789", job.Volumes.Single(v => v.Secret is not null).Secret.SecretName);
        Assert.Contains(job.Containers[0].Env, e => e.Name == "ARC_WORKER_TOKEN_FILE");
    }

    [Fact]
    public void The_network_policy_admits_the_deployers_pods_to_the_worker_port_and_the_peers_that_widen_it()
    {
        var policy = KubernetesManifests.NetworkPolicy(Workload, Options);
        Assert.Equal(new Dictionary<string, string> { ["arc.dev/deployment"] = "0123456789" }, policy.Spec.PodSelector.MatchLabels);
        Assert.Equal(["Ingress"], policy.Spec.PolicyTypes);
        var rule = Assert.Single(policy.Spec.Ingress);
        var port = Assert.Single(rule.Ports);
        Assert.Equal("7070", port.Port.Value);
        var deployer = Assert.Single(rule.FromProperty);
        Assert.Equal(new Dictionary<string, string> { ["team"] = "vision", ["app.kubernetes.io/managed-by"] = "arc" }, deployer.PodSelector.MatchLabels);
        Assert.Null(deployer.NamespaceSelector); // the worker's namespace only

        var widened = KubernetesManifests.NetworkPolicy(Workload, Options with
        {
            AllowedFrom =
            [
                new KubernetesNetworkPeer { PodLabels = new Dictionary<string, string> { ["app"] = "notebook" }, NamespaceLabels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = "research" } },
                new KubernetesNetworkPeer { NamespaceLabels = new Dictionary<string, string> { ["team"] = "vision" } },
                new KubernetesNetworkPeer { IpBlock = "10.20.0.0/16" },
            ],
        }).Spec.Ingress.Single().FromProperty;
        Assert.Equal(4, widened.Count);
        Assert.Equal("notebook", widened[1].PodSelector.MatchLabels["app"]);
        Assert.Equal("research", widened[1].NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"]);
        Assert.Null(widened[2].PodSelector);
        Assert.Equal("vision", widened[2].NamespaceSelector.MatchLabels["team"]);
        Assert.Equal("10.20.0.0/16", widened[3].IpBlock.Cidr);
    }

    [Fact]
    public void Peers_that_admit_nobody_or_mix_an_address_range_with_labels_are_refused()
    {
        Assert.Contains("AllowedFrom[0] admits nobody", Assert.Throws<ArgumentException>(() =>
            Target.Kubernetes(Options with { AllowedFrom = [new KubernetesNetworkPeer()] })).Message);
        Assert.Contains("AllowedFrom[0] has an IpBlock and labels", Assert.Throws<ArgumentException>(() =>
            Target.Kubernetes(Options with { AllowedFrom = [new KubernetesNetworkPeer { IpBlock = "10.0.0.0/8", PodLabels = new Dictionary<string, string>() }] })).Message);
        Assert.Contains("IpBlock '10.0.0.300/8' is not an address range", Assert.Throws<ArgumentException>(() =>
            Target.Kubernetes(Options with { AllowedFrom = [new KubernetesNetworkPeer { IpBlock = "10.0.0.300/8" }] })).Message);
        Assert.Contains("RunAsUser 0 is not a non-root user id", Assert.Throws<ArgumentException>(() =>
            Target.Kubernetes(Options with { RunAsUser = 0 })).Message);
    }

    [Fact]
    public void Each_deployment_gets_its_own_token_and_a_p256_certificate_for_its_service_names_valid_for_30_days()
    {
        var other = KubernetesWorkerCredentials.Generate("arc-workermlp-0123456789", "ml");
        Assert.NotEqual(Credentials.Token, other.Token);
        Assert.NotEqual(Credentials.Certificate.RawData, other.Certificate.RawData);
        ArcWorkerToken.Validate(Credentials.Token);

        var certificate = Credentials.Certificate;
        Assert.False(certificate.HasPrivateKey); // what the client pins holds no key
        using (var key = certificate.GetECDsaPublicKey())
            Assert.Equal(256, key!.KeySize);
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames().ToList();
        Assert.Equal(["arc-workermlp-0123456789", "arc-workermlp-0123456789.ml", "arc-workermlp-0123456789.ml.svc", "arc-workermlp-0123456789.ml.svc.cluster.local"], names);
        Assert.False(certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.InRange(certificate.NotAfter.ToUniversalTime() - DateTime.UtcNow, TimeSpan.FromDays(29.9), TimeSpan.FromDays(30));
        Assert.True(certificate.NotBefore.ToUniversalTime() < DateTime.UtcNow);

        // The key in the Secret belongs to the certificate: the worker loads the pair as it does from the mounted files.
        using var pair = X509Certificate2.CreateFromPem(Credentials.CertificatePem, Credentials.KeyPem);
        Assert.True(pair.HasPrivateKey);
        Assert.Equal(certificate.RawData, pair.RawData);
    }

    [Fact]
    public void The_job_round_trips_strictly_and_matches_its_golden_file()
        => AssertRoundTripAndGolden(KubernetesManifests.Job(Workload, Options), "job.yaml");

    [Fact]
    public void Strict_reading_rejects_a_misspelled_field_so_the_round_trips_above_can_fail()
    {
        string yaml = KubernetesYaml.Serialize(KubernetesManifests.Pod(Workload, Options));
        Assert.Contains("containerPort:", yaml);
        Assert.ThrowsAny<Exception>(() => KubernetesYaml.Deserialize<V1Pod>(yaml.Replace("containerPort:", "containerPrt:"), strict: true));
        // Not strict, the same text silently loses the port: what strict mode is there to catch.
        var lax = KubernetesYaml.Deserialize<V1Pod>(yaml.Replace("containerPort:", "containerPrt:"), strict: false);
        Assert.Equal(0, lax.Spec.Containers[0].Ports[0].ContainerPort);
    }

    [Fact]
    public void The_pod_carries_labels_resources_gpus_and_the_worker_environment()
    {
        var pod = KubernetesManifests.Pod(Workload, Options);
        Assert.Equal("arc-workermlp-0123456789", pod.Metadata.Name);
        Assert.Equal("ml", pod.Metadata.NamespaceProperty);
        Assert.Equal("arc", pod.Metadata.Labels["app.kubernetes.io/managed-by"]);
        Assert.Equal("workermlp", pod.Metadata.Labels["arc.dev/model"]);
        Assert.Equal("0123456789", pod.Metadata.Labels["arc.dev/deployment"]);
        Assert.Equal("vision", pod.Metadata.Labels["team"]);
        Assert.Equal("Never", pod.Spec.RestartPolicy);

        var container = Assert.Single(pod.Spec.Containers);
        Assert.Equal(Options.Image, container.Image);
        Assert.Equal(["dotnet", "/app/Arc.Worker.dll"], container.Command);
        Assert.Equal(new ResourceQuantity("2"), container.Resources.Limits["nvidia.com/gpu"]);
        Assert.Equal(new ResourceQuantity("500m"), container.Resources.Requests["cpu"]);
        Assert.False(container.Resources.Limits.ContainsKey("cpu"));
        Assert.Equal(new ResourceQuantity("1Gi"), container.Resources.Limits["memory"]);

        var env = container.Env.ToDictionary(e => e.Name, e => e.Value);
        Assert.Equal("0.0.0.0", env["ARC_WORKER_BIND"]);
        Assert.Equal("7070", env["ARC_WORKER_PORT"]);
        Assert.Equal($"/app/{Path.GetFileName(typeof(WorkerMlp).Assembly.Location)}", env["ARC_WORKER_ASSEMBLY"]);
        Assert.Equal("workermlp", env["ARC_WORKER_MODEL"]);
        var hyperparameters = Registration.ReadParameters(Convert.FromBase64String(env["ARC_WORKER_HYPERPARAMETERS"]));
        Assert.Equal(5, hyperparameters.Hidden);
        // What the image's own ENV may select is overridden: the pod serves the model and nothing else.
        Assert.Equal("", env["ARC_WORKER_JOB"]);
        Assert.Equal("", env["ARC_WORKER_PODS"]);
        Assert.Equal("arc", container.ReadinessProbe.TcpSocket.Port.Value);
    }

    [Fact]
    public void A_pods_workload_serves_the_pods_of_its_assembly_and_clears_the_other_selectors()
    {
        var workload = KubernetesWorkloads.ForPods([TestPods.ScaleAsyncPod], Options, deploymentId: "0123456789");
        var pod = KubernetesManifests.Pod(workload, Options);

        Assert.Equal("arc-pods-arc-sdk-tests-0123456789", pod.Metadata.Name);
        Assert.Equal("pods-Arc.Sdk.Tests", pod.Metadata.Labels["arc.dev/model"]);
        var env = Assert.Single(pod.Spec.Containers).Env.ToDictionary(e => e.Name, e => e.Value);
        Assert.Equal("1", env["ARC_WORKER_PODS"]);
        Assert.Equal("/app/Arc.Sdk.Tests.dll", env["ARC_WORKER_ASSEMBLY"]);
        // A model's worker image names its model in its ENV; the pod clears that, or the worker would refuse two selections.
        Assert.Equal("", env["ARC_WORKER_MODEL"]);
        Assert.Equal("", env["ARC_WORKER_JOB"]);
        Assert.DoesNotContain("ARC_WORKER_HYPERPARAMETERS", env.Keys);
        // ModelAssemblyFileName names the assembly in the image instead.
        var named = KubernetesWorkloads.ForPods([TestPods.ScaleAsyncPod], Options with { ModelAssemblyFileName = "Other.dll" }, "0123456789");
        Assert.Equal("Other.dll", named.AssemblyFileName);
    }

    [Fact]
    public void No_gpus_means_no_gpu_limit_and_the_job_has_no_port()
    {
        var options = Options with { Resources = new KubernetesResources() };
        var container = KubernetesManifests.Pod(Workload, options).Spec.Containers[0];
        Assert.Null(container.Resources.Limits);
        Assert.Null(container.Resources.Requests);
        var job = KubernetesManifests.Job(Workload, options).Spec.Template.Spec.Containers[0];
        Assert.Null(job.Ports);
        Assert.Null(job.ReadinessProbe);
        Assert.DoesNotContain(job.Env, e => e.Name is "ARC_WORKER_BIND" or "ARC_WORKER_PORT");
    }

    [Fact]
    public void Object_names_are_dns_labels_even_for_names_that_are_not()
    {
        var workload = new KubernetesWorkload("My_Model.V2" + new string('x', 80), "abcdef0123", "A.dll", new Dictionary<string, string>());
        string name = KubernetesManifests.ObjectName(workload);
        Assert.True(name.Length <= 63, name);
        Assert.StartsWith("arc-my-model-v2xxx", name);
        Assert.EndsWith("-abcdef0123", name);
        Assert.Matches("^[a-z]([-a-z0-9]*[a-z0-9])?$", name);
        Assert.Matches("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$", KubernetesManifests.Labels(workload, Options)["arc.dev/model"]);
        Assert.True(KubernetesManifests.Labels(workload, Options)["arc.dev/model"].Length <= 63);
    }

    [Theory]
    [InlineData("app.kubernetes.io/managed-by")]
    [InlineData("arc.dev/deployment")]
    public void A_reserved_label_cannot_be_overridden(string key)
    {
        var options = Options with { Labels = new Dictionary<string, string> { [key] = "mine" } };
        var e = Assert.Throws<ArgumentException>(() => KubernetesManifests.Pod(Workload, options));
        Assert.Contains($"'{key}' is set by Arc", e.Message);
    }

    [Fact]
    public void Bad_options_are_refused_when_the_target_is_made_naming_the_option()
    {
        Assert.Contains("Image is required", Assert.Throws<ArgumentException>(() => Target.Kubernetes(Options with { Image = " " })).Message);
        Assert.Contains("Memory '2 gigs'", Assert.Throws<ArgumentException>(() =>
            Target.Kubernetes(Options with { Resources = new KubernetesResources { Memory = "2 gigs" } })).Message);
        Assert.Contains("Cpu '-1'", Assert.Throws<ArgumentException>(() =>
            Target.Kubernetes(Options with { Resources = new KubernetesResources { Cpu = "-1" } })).Message);
        Assert.Contains("Gpus -1", Assert.Throws<ArgumentException>(() =>
            Target.Kubernetes(Options with { Resources = new KubernetesResources { Gpus = -1 } })).Message);
        Assert.Contains("Port 0", Assert.Throws<ArgumentException>(() => Target.Kubernetes(Options with { Port = 0 })).Message);
    }

    private static void AssertRoundTripAndGolden<T>(T manifest, string goldenName)
    {
        string yaml = KubernetesYaml.Serialize(manifest!);
        var back = KubernetesYaml.Deserialize<T>(yaml, strict: true);
        Assert.Equal(yaml, KubernetesYaml.Serialize(back!));
        Assert.Equal(KubernetesJson.Serialize(manifest!), KubernetesJson.Serialize(back!));

        string golden = Path.Combine(GoldenDirectory(), goldenName);
        if (Updating)
        {
            File.WriteAllText(golden, yaml);
            return;
        }
        Assert.True(File.Exists(golden), $"{golden} is missing; run with ARC_UPDATE_GOLDEN=1 and review it");
        Assert.Equal(File.ReadAllText(golden).ReplaceLineEndings("\n"), yaml.ReplaceLineEndings("\n"));
        // The checked-in file itself reads back strictly as the same object.
        Assert.Equal(yaml, KubernetesYaml.Serialize(KubernetesYaml.Deserialize<T>(File.ReadAllText(golden), strict: true)!));
    }

    private static string GoldenDirectory([CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, "Golden");
}
