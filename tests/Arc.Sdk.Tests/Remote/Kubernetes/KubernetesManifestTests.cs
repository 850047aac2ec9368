using System.Runtime.CompilerServices;
using Arc.Registration;
using Arc.Remote;
using Arc.Types;
using k8s;
using k8s.Models;

namespace Arc.Sdk.Tests.Remote.Kubernetes;

/// <summary>
/// The Pod, Service and Job manifests of <see cref="KubernetesManifests"/>: strict YAML round-trips through
/// KubernetesClient's own serializer (an unknown or misspelled field fails), golden files checked in (rewrite them with
/// <c>ARC_UPDATE_GOLDEN=1</c>, then review the diff), and the rules for labels, resources and names.
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

    private static KubernetesWorkload Workload
        => KubernetesWorkload.ForModel(Registration, Registration.WriteHyperparameters(new WorkerMlp.Hyperparameters(Hidden: 5)), Options, "0123456789");

    [Fact]
    public void The_pod_round_trips_strictly_and_matches_its_golden_file()
        => AssertRoundTripAndGolden(KubernetesManifests.Pod(Workload, Options), "pod.yaml");

    [Fact]
    public void The_service_round_trips_strictly_and_matches_its_golden_file()
        => AssertRoundTripAndGolden(KubernetesManifests.Service(Workload, Options), "service.yaml");

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
        var hyperparameters = Registration.ReadHyperparameters(Convert.FromBase64String(env["ARC_WORKER_HYPERPARAMETERS"]));
        Assert.Equal(5, hyperparameters.Hidden);
        Assert.Equal("arc", container.ReadinessProbe.TcpSocket.Port.Value);
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
