using System.Net;
using System.Net.Sockets;
using k8s;
using k8s.Models;
using Arc.Kubernetes;
using Arc.Sdk.Tests.Support;

namespace Arc.Sdk.Tests.Remote.Kubernetes;

/// <summary>
/// The cluster the Kubernetes target tests run against: the <see cref="FakeKubernetesApiServer"/> by default, or a real
/// cluster when <c>ARC_TEST_KUBECONFIG</c> names its kubeconfig (see docs/kubernetes.md; the image then comes from
/// <c>ARC_TEST_KUBERNETES_IMAGE</c>, default <c>arc-sdk-tests:dev</c>). Every test run labels its objects with a
/// fresh <c>arc-test-run</c> value so the tests can list exactly their own pods and services. Against a real cluster
/// whose network plugin enforces NetworkPolicy, <c>ARC_TEST_KUBERNETES_CLIENT_CIDR</c> names the address range the
/// tests connect from (e.g. kind's docker network gateway, <c>172.18.0.1/32</c>), admitted through
/// <see cref="KubernetesTargetOptions.AllowedFrom"/>.
/// </summary>
internal sealed class KubernetesTestCluster : IAsyncDisposable
{
    public const string Image = "arc-sdk-tests:dev";

    private KubernetesTestCluster(FakeKubernetesApiServer? fake, KubernetesTargetOptions options, string run)
    {
        Fake = fake;
        Options = options;
        Run = run;
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(options.KubeconfigPath);
        Namespace = options.Namespace ?? config.Namespace ?? "default";
        Client = new k8s.Kubernetes(config);
    }

    /// <summary>The kubeconfig of a real cluster to test against instead of the fake, or null.</summary>
    public static string? RealKubeconfig => Environment.GetEnvironmentVariable("ARC_TEST_KUBECONFIG") is { Length: > 0 } path ? path : null;

    /// <summary>The fake, or null when testing against a real cluster.</summary>
    public FakeKubernetesApiServer? Fake { get; }

    /// <summary>Target options for this cluster, labelled with this run.</summary>
    public KubernetesTargetOptions Options { get; }

    public string Run { get; }

    public string Namespace { get; }

    /// <summary>A client of the same cluster, to check what exists.</summary>
    public IKubernetes Client { get; }

    public static async Task<KubernetesTestCluster> StartAsync(int gpuCapacity = 1)
    {
        string run = KubernetesWorkload.NewDeploymentId();
        var labels = new Dictionary<string, string> { ["arc-test-run"] = run };
        if (RealKubeconfig is { } kubeconfig)
        {
            return new KubernetesTestCluster(null, new KubernetesTargetOptions
            {
                Image = Environment.GetEnvironmentVariable("ARC_TEST_KUBERNETES_IMAGE") is { Length: > 0 } image ? image : Image,
                KubeconfigPath = kubeconfig,
                Labels = labels,
                ReadyTimeout = TimeSpan.FromMinutes(3),
                AllowedFrom = Environment.GetEnvironmentVariable("ARC_TEST_KUBERNETES_CLIENT_CIDR") is { Length: > 0 } cidr
                    ? [new KubernetesNetworkPeer { IpBlock = cidr }]
                    : [],
            }, run);
        }
        var fake = await FakeKubernetesApiServer.StartAsync([new FakeImage(Image, "/app", AppContext.BaseDirectory)], gpuCapacity);
        return new KubernetesTestCluster(fake, new KubernetesTargetOptions
        {
            Image = Image,
            KubeconfigPath = fake.KubeconfigPath,
            Labels = labels,
            Port = TestPorts.Free(),
            ReadyTimeout = TimeSpan.FromSeconds(60),
            PollInterval = TimeSpan.FromMilliseconds(100),
        }, run);
    }

    /// <summary>This run's pods that are not on their way out (a real cluster keeps deleted pods while they terminate).</summary>
    public async Task<IReadOnlyList<V1Pod>> LivePodsAsync(CancellationToken cancellationToken)
        => (await Client.CoreV1.ListNamespacedPodAsync(Namespace, labelSelector: $"arc-test-run={Run}", cancellationToken: cancellationToken))
            .Items.Where(p => p.Metadata.DeletionTimestamp is null).ToList();

    /// <summary>This run's services.</summary>
    public async Task<IReadOnlyList<V1Service>> ServicesAsync(CancellationToken cancellationToken)
        => (await Client.CoreV1.ListNamespacedServiceAsync(Namespace, labelSelector: $"arc-test-run={Run}", cancellationToken: cancellationToken)).Items.ToList();

    /// <summary>This run's secrets.</summary>
    public async Task<IReadOnlyList<V1Secret>> SecretsAsync(CancellationToken cancellationToken)
        => (await Client.CoreV1.ListNamespacedSecretAsync(Namespace, labelSelector: $"arc-test-run={Run}", cancellationToken: cancellationToken)).Items.ToList();

    /// <summary>This run's network policies.</summary>
    public async Task<IReadOnlyList<V1NetworkPolicy>> NetworkPoliciesAsync(CancellationToken cancellationToken)
        => (await Client.NetworkingV1.ListNamespacedNetworkPolicyAsync(Namespace, labelSelector: $"arc-test-run={Run}", cancellationToken: cancellationToken)).Items.ToList();

    /// <summary>Asserts that nothing of this run is left: no live pod, service, secret or network policy.</summary>
    public async Task AssertNothingLeftAsync(CancellationToken cancellationToken)
    {
        Assert.Empty(await LivePodsAsync(cancellationToken));
        Assert.Empty(await ServicesAsync(cancellationToken));
        Assert.Empty(await SecretsAsync(cancellationToken));
        Assert.Empty(await NetworkPoliciesAsync(cancellationToken));
    }


    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (Fake is not null) await Fake.DisposeAsync();
    }
}
