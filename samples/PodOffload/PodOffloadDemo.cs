using System.Globalization;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Samples.PodOffload;

/// <summary>What the demo found: where each run happened, whether both gave the same bytes, and the statistics.</summary>
/// <param name="ThisProcessId">The program's process id.</param>
/// <param name="WorkerProcessId">The worker process's id; null when the worker runs in a pod of a cluster.</param>
/// <param name="Identical">Whether the two results have the same wire bytes.</param>
/// <param name="Statistics">The per-class statistics.</param>
public sealed record PodOffloadResult(int ThisProcessId, int? WorkerProcessId, bool Identical, TableData Statistics);

/// <summary>
/// Runs <see cref="DigitStatistics.PerClass"/> through its generated remote form twice: in this process
/// (<see cref="Target.InProcess"/>) and on a worker target, by default an Arc.Worker child process
/// (<see cref="Target.LocalProcess"/>); <see cref="Target.Kubernetes"/> runs it in a pod of a cluster.
/// </summary>
public static class PodOffloadDemo
{
    /// <summary>Runs both, writes what happened to <paramref name="output"/>, and returns it.</summary>
    public static async Task<PodOffloadResult> RunAsync(ImageData images, ClassData labels, TextWriter output, Target? workerTarget = null,
        CancellationToken cancellationToken = default)
    {
        TableData here;
        await using (var inProcess = await Target.InProcess.DeployPodsAsync(cancellationToken: cancellationToken))
            here = await DigitStatistics.PerClassRemoteAsync(inProcess, images, labels, cancellationToken: cancellationToken);

        // The worker loads this program's assembly and serves every [Pod] it registers.
        await using var worker = await (workerTarget ?? Target.LocalProcess).DeployPodsAsync([DigitStatistics.PerClassPod], cancellationToken);
        var there = await DigitStatistics.PerClassRemoteAsync(worker, images, labels, cancellationToken: cancellationToken);

        bool identical = ArcWire.Serialize(here).AsSpan().SequenceEqual(ArcWire.Serialize(there));
        var result = new PodOffloadResult(Environment.ProcessId, worker.ProcessId, identical, there);
        Print(result, images.Count, output);
        return result;
    }

    private static void Print(PodOffloadResult result, int images, TextWriter output)
    {
        var table = result.Statistics;
        output.WriteLine($"pixel statistics of {images} digits, per class:");
        output.WriteLine(string.Join("  ", DigitStatistics.Columns.Select(c => c.PadLeft(14))));
        for (int row = 0; row < table.Count; row++)
        {
            var cells = table.Columns.Select(column => column.IsString
                ? column.Strings![row]
                : column.Values!.DType == ArcDType.Int64
                    ? column.Values.AsSpan<long>()[row].ToString(CultureInfo.InvariantCulture)
                    : column.Values.AsSpan<double>()[row].ToString("F4", CultureInfo.InvariantCulture));
            output.WriteLine(string.Join("  ", cells.Select(c => c.PadLeft(14))));
        }
        output.WriteLine(result.WorkerProcessId is int worker
            ? $"this process: pid {result.ThisProcessId}; worker process: pid {worker}" +
              (worker != result.ThisProcessId ? " (a different process)" : " (the same process!)")
            : $"this process: pid {result.ThisProcessId}; worker: a pod of the cluster");
        output.WriteLine(result.Identical
            ? "in-process and worker results are identical, byte for byte"
            : "in-process and worker results DIFFER");
    }
}
