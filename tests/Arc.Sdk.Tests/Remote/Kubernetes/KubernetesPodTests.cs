extern alias podoffload;
using System.Runtime.CompilerServices;
using Arc.Remote;
using Arc.Sdk;
using DigitStatistics = podoffload::Arc.Samples.PodOffload.DigitStatistics;

namespace Arc.Sdk.Tests.Remote.Kubernetes;

/// <summary>
/// <c>[Pod]</c> methods on <c>Target.Kubernetes</c>: they run in a pod of the cluster (the fake's kubelet runs its
/// container as a real local process), never in the caller's process.
/// </summary>
public sealed class KubernetesPodTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pods_sent_to_the_cluster_run_in_the_pods_container_and_dispose_deletes_everything()
    {
        await using var cluster = await KubernetesTestCluster.StartAsync();

        await using (var worker = await Target.Kubernetes(cluster.Options).DeployPodsAsync([TestPods.ScaleAsyncPod], Ct))
        {
            var pod = Assert.Single(await cluster.LivePodsAsync(Ct));
            Assert.Matches("^arc-pods-arc-sdk-tests-[0-9a-f]{10}$", pod.Metadata.Name);
            // The method ran in that pod: it sees the pod's name as its host name (a real cluster and the fake alike) ...
            Assert.Equal(pod.Metadata.Name, await TestPods.HostNameRemoteAsync(worker, Ct));
            // ... and, on the fake, in the process its kubelet started for the pod's container.
            int pid = await TestPods.ProcessIdRemoteAsync(worker, Ct);
            Assert.NotEqual(Environment.ProcessId, pid);
            if (cluster.Fake is { } fake) Assert.Equal(fake.ProcessIdOf(pod.Metadata.Name), pid);
            // The worker is not a process on this machine.
            Assert.Null(worker.ProcessId);
            Assert.Same(Target.Kubernetes(cluster.Options).Kind, worker.Target.Kind);
            Assert.Contains($"Kubernetes pod {cluster.Namespace}/{pod.Metadata.Name}", worker.ToString());
            // It serves every pod of the assembly, with arguments and results crossing in their wire form.
            Assert.Equal(new double[] { 3.0, -3.0 }, await TestPods.ScaleRemoteAsync(worker, [1, -1], 3, Ct));
            var error = await Assert.ThrowsAsync<ArcRemoteException>(() => TestPods.FailRemoteAsync(worker, "not here", Ct));
            Assert.Equal("not here", error.RemoteMessage);

            var env = Assert.Single(pod.Spec.Containers).Env.ToDictionary(e => e.Name, e => e.Value);
            Assert.Equal("1", env["ARC_WORKER_PODS"]);
            Assert.Equal("/app/Arc.Sdk.Tests.dll", env["ARC_WORKER_ASSEMBLY"]);
            Assert.Equal("", env["ARC_WORKER_MODEL"]);
        }

        await cluster.AssertNothingLeftAsync(Ct);
    }

    [Fact]
    public async Task Pods_from_two_assemblies_are_refused_before_anything_is_created()
    {
        await using var cluster = await KubernetesTestCluster.StartAsync();
        var fake = FakeOnly(cluster);
        // The PodOffload sample's pod, from the sample's assembly (its module initializer registers it).
        RuntimeHelpers.RunModuleConstructor(typeof(DigitStatistics).Module.ModuleHandle);
        var other = ArcRegistry.GetPod("mnist.class-statistics");

        var e = await Assert.ThrowsAsync<ArgumentException>(async () =>
            await Target.Kubernetes(cluster.Options).DeployPodsAsync([TestPods.ScaleAsyncPod, other], Ct));

        Assert.Contains("a worker loads one assembly, but these pods come from 2", e.Message);
        Assert.Empty(fake.Requests);
    }

    private static FakeKubernetesApiServer FakeOnly(KubernetesTestCluster cluster)
    {
        Assert.SkipWhen(cluster.Fake is null, "inspects the fake API server; ARC_TEST_KUBECONFIG points at a real cluster");
        return cluster.Fake!;
    }
}
