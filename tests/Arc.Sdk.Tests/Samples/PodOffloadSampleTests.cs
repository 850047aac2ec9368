extern alias podoffload;
using System.Collections.Concurrent;
using Arc.Samples.Mnist;
using Arc.Sdk;
using Arc.Sdk.Tests.Remote.Kubernetes;
using PodOffloadDemo = podoffload::Arc.Samples.PodOffload.PodOffloadDemo;

namespace Arc.Sdk.Tests.Samples;

/// <summary>The PodOffload sample end to end on real MNIST digits: its [Pod] here, and in an Arc.Worker process or a pod of the fake cluster.</summary>
public sealed class PodOffloadSampleTests
{
    [Fact]
    public async Task The_sample_runs_its_pod_in_a_worker_process_and_gets_the_in_process_result()
    {
        var ct = TestContext.Current.CancellationToken;
        var digits = await MnistDigits.LoadAsync(maxPerDigit: 150, cancellationToken: ct);
        var (images, labels) = digits.Train;
        var log = new ConcurrentQueue<string>();
        var output = new StringWriter();

        var result = await PodOffloadDemo.RunAsync(images, labels, output, Target.LocalProcessWith(new LocalProcessOptions { Log = log.Enqueue }), ct);

        Assert.True(result.Identical, output.ToString());
        Assert.NotEqual(Environment.ProcessId, Assert.NotNull(result.WorkerProcessId));
        Assert.Contains($"worker process: pid {result.WorkerProcessId} (a different process)", output.ToString());
        Assert.Contains("identical, byte for byte", output.ToString());

        AssertStatistics(result.Statistics, images, labels);
    }

    [Fact]
    public async Task The_sample_runs_its_pod_in_a_pod_of_the_cluster_and_gets_the_in_process_result()
    {
        var ct = TestContext.Current.CancellationToken;
        var digits = await MnistDigits.LoadAsync(maxPerDigit: 150, cancellationToken: ct);
        var (images, labels) = digits.Train;
        var output = new StringWriter();
        await using var cluster = await KubernetesTestCluster.StartAsync();

        var result = await PodOffloadDemo.RunAsync(images, labels, output, Target.Kubernetes(cluster.Options), ct);

        Assert.True(result.Identical, output.ToString());
        Assert.Null(result.WorkerProcessId);
        Assert.Contains("worker: a pod of the cluster", output.ToString());
        AssertStatistics(result.Statistics, images, labels);
        if (cluster.Fake is { } fake)
        {
            // The pod the sample asked for: a worker serving the pods of the sample's own assembly.
            var created = Assert.Single(fake.Requests, r => r.Method == "POST" && r.PathAndQuery.EndsWith("/pods", StringComparison.Ordinal));
            var pod = k8s.KubernetesJson.Deserialize<k8s.Models.V1Pod>(created.Body);
            var env = Assert.Single(pod.Spec.Containers).Env.ToDictionary(e => e.Name, e => e.Value);
            Assert.Equal("/app/PodOffload.dll", env["ARC_WORKER_ASSEMBLY"]);
            Assert.Equal("1", env["ARC_WORKER_PODS"]);
        }
        await cluster.AssertNothingLeftAsync(ct);
    }

    // The statistics agree with a direct count over the same images.
    private static void AssertStatistics(Arc.Types.TableData table, Arc.Types.ImageData images, Arc.Types.ClassData labels)
    {
        Assert.Equal(MnistDigits.ClassNames, table["class"].Strings);
        var counts = table["count"].Values!.ToArray<long>();
        var meanInk = table["mean_ink"].Values!.ToArray<double>();
        var pixels = images.Pixels.ToArray<float>();
        var label = labels.IndexSpan.ToArray();
        for (int c = 0; c < 10; c++)
        {
            var rows = Enumerable.Range(0, label.Length).Where(i => label[i] == c).ToArray();
            Assert.Equal(rows.Length, counts[c]);
            double ink = rows.Sum(i => pixels.AsSpan(i * MnistDigits.PixelsPerImage, MnistDigits.PixelsPerImage).ToArray().Sum(p => (double)p));
            Assert.Equal(ink / (rows.Length * (double)MnistDigits.PixelsPerImage), meanInk[c], 1e-9);
        }
    }
}
