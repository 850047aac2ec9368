extern alias podoffload;
using System.Collections.Concurrent;
using Arc.Samples.Mnist;
using Arc.Sdk;
using PodOffloadDemo = podoffload::Arc.Samples.PodOffload.PodOffloadDemo;

namespace Arc.Sdk.Tests.Samples;

/// <summary>The PodOffload sample end to end on real MNIST digits: its [Pod] here and in an Arc.Worker process.</summary>
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
        Assert.NotEqual(Environment.ProcessId, result.WorkerProcessId);
        Assert.Contains($"worker process: pid {result.WorkerProcessId} (a different process)", output.ToString());
        Assert.Contains("identical, byte for byte", output.ToString());

        // The statistics agree with a direct count over the same images.
        var table = result.Statistics;
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
