using System.Globalization;
using Arc.Testing.Fuzz;

namespace Arc.Bench.Fuzz;

/// <summary>
/// The <c>fuzz</c> group: the live fuzzer of the test suite (tests/Arc.Sdk.Tests/Remote/Fuzz/, linked here) at full
/// strength — 100,000 mutated frames per endpoint against real worker processes (model, job, pods, develop), with the
/// frame rate, every wrong answer, and each worker's resident memory before and after. The test suite runs the same
/// code with 5,000 frames per endpoint; this run (2,000,000 calls) takes about 4 minutes on two cores, so it runs only when named
/// (<c>bench fuzz</c>), except in <c>--quick</c> mode, which sends a few hundred frames per endpoint to prove it works.
/// A wrong answer, a dead worker or growth past <see cref="MaxGrowthMiB"/> fails the run (non-zero exit).
/// </summary>
public static class FuzzGroup
{
    /// <summary>The growth of a worker's resident memory, after its warm-up, that fails the run.</summary>
    public const double MaxGrowthMiB = 50;

    public static void Run(BenchOptions options) => RunAsync(options).GetAwaiter().GetResult();

    private static async Task RunAsync(BenchOptions options)
    {
        var settings = new FuzzSettings(options.Quick ? 300 : 100_000, WarmUpFrames: options.Quick ? 100 : 2_000, Concurrency: 32, Seed: 20261123);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fuzz: {settings.Frames:N0} mutated frames per endpoint (after {settings.WarmUpFrames:N0} of warm-up), {settings.Concurrency} calls in flight, seed {settings.Seed}"));
        Console.WriteLine($"  loadavg before: {MachineLoad.Line()}");
        Console.WriteLine($"  {"worker endpoint",-34} {"frames",9} {"frames/s",9} {"malformed",10} {"ok",8} {"refused",8} {"wrong",6} {"RSS MiB",8}");
        var results = new List<WorkerFuzzResult>();
        string folder = Path.Combine(Path.GetTempPath(), "arc-bench-fuzz-" + Guid.NewGuid().ToString("N"));
        try
        {
            results.Add(await FuzzAsync(() => FuzzWorker.StartModelAsync(CancellationToken.None), settings));
            results.Add(await FuzzAsync(() => FuzzWorker.StartJobAsync(CancellationToken.None), settings));
            results.Add(await FuzzAsync(() => FuzzWorker.StartPodsAsync(CancellationToken.None), settings));
            results.Add(await FuzzAsync(() => FuzzWorker.StartDevelopAsync(folder, CancellationToken.None), settings));
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (DirectoryNotFoundException) { }
        }
        Console.WriteLine($"  loadavg after: {MachineLoad.Line()}");

        Console.WriteLine($"  {"worker",-8} {"pid",7} {"RSS ready",10} {"warmed",8} {"end",8} {"peak",8} {"growth",8}  (MiB; growth = end − warmed)");
        foreach (var r in results)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {r.Worker,-8} {r.ProcessId,7} {r.Ready.RssMiB,10:0.0} {r.AfterWarmUp.RssMiB,8:0.0} {r.End.RssMiB,8:0.0} {r.End.PeakRssMiB,8:0.0} {r.GrowthMiB,8:+0.0;-0.0}"));
        var endpoints = results.SelectMany(r => r.Endpoints).ToList();
        long frames = endpoints.Sum(e => (long)e.Frames);
        var elapsed = TimeSpan.FromTicks(endpoints.Sum(e => e.Elapsed.Ticks));
        int wrong = results.Sum(r => r.FailedFrames), problems = results.Sum(r => r.Problems.Count);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  total: {frames:N0} frames to {endpoints.Count} endpoints in {elapsed.TotalSeconds:0} s ({frames / elapsed.TotalSeconds:0} frames/s); {wrong} answered wrong, {problems} problems (dead or unserving workers)"));

        var failures = results.SelectMany(r => r.AllFailures).Take(20).ToList();
        foreach (var failure in failures) Console.WriteLine("  ! " + failure);
        var grown = results.Where(r => r.GrowthMiB >= MaxGrowthMiB).Select(r => $"{r.Worker} grew {r.GrowthMiB:0.0} MiB").ToList();
        if (wrong > 0 || problems > 0 || grown.Count > 0)
            throw new InvalidOperationException($"fuzz: {wrong} wrong answers, {problems} problems{(grown.Count > 0 ? ", " + string.Join(", ", grown) : "")}");
    }

    private static async Task<WorkerFuzzResult> FuzzAsync(Func<Task<FuzzWorker>> start, FuzzSettings settings)
    {
        await using var worker = await start();
        return await FuzzCampaign.RunAsync(worker, settings, report => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {worker.Name + " " + report.Endpoint,-34} {report.Frames,9:N0} {report.FramesPerSecond,9:0} {report.Malformed,10:N0} {report.Ok,8:N0} {report.Refused,8:N0} {report.Failed,6} {report.MemoryAfter.RssMiB,8:0.0}")),
            CancellationToken.None);
    }

}
