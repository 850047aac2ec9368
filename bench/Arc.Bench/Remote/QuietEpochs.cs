using System.Diagnostics;
using System.Globalization;
using Arc.Samples.Mnist;
using Arc.Remote;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Bench.Remote;

/// <summary>
/// The judged figures of case (c), taken in seven short runs that each start on a quiet machine
/// (<see cref="QuietRuns"/>): issue #18's (c), the MLP epoch in a worker process against in process, and its item 1,
/// a step of the trivial model through a worker process against a batch of the job stream (case (b)'s
/// <c>RemoteJob.StreamAsync</c>) moving the same bytes. The table above (<see cref="MnistEpoch"/>) runs every layer row
/// for minutes, long enough for the bench's own processes to lift the 1-minute load above 1, so none of it can be
/// judged; a run here is a few seconds of work, so its load shows whether anything else had the cores.
/// </summary>
internal static class QuietEpochs
{
    private const int Runs = 7;
    private const int RoundsPerRun = 3;

    /// <summary>
    /// Runs the seven runs with the models the table deployed (an epoch being <paramref name="steps"/> steps over
    /// <paramref name="samples"/> digits; the stream moves as many synthetic ones), and prints each run and both verdicts.
    /// </summary>
    public static async Task RunAsync(BenchOptions options, ClassifyDigits job,
        IDeployedModel<ImageData, ClassData> inProcess, IDeployedModel<ImageData, ClassData> worker, IDeployedModel<ImageData, ClassData> trivialWorker,
        int samples, int steps, string threads)
    {
        int batches = 0;
        await using var stream = await RemoteJob<ImageData, ClassData>.ServeLoopbackAsync(new SyntheticDigits(samples));
        Func<Task<TimeSpan>>[] cases =
        [
            () => EpochAsync(job, inProcess),
            () => EpochAsync(job, worker),
            () => EpochAsync(job, trivialWorker),
            async () =>
            {
                var clock = Stopwatch.StartNew();
                batches = 0;
                await foreach (var _ in stream.StreamAsync(64, DataSplit.Train, shuffleSeed: null)) batches++;
                return clock.Elapsed;
            },
        ];
        var quiet = new QuietRuns(startBelow: options.Quick ? double.PositiveInfinity : 0.6);
        var ratios = new List<(double Epoch, double Transport)>();
        Console.WriteLine($"    judged: {Runs} short runs, each started below load {quiet.StartBelow:0.0} and kept only if it ended at or below 1; " +
            $"in each, {RoundsPerRun} rounds of the four cases in turns, each case's median ms a step ({threads})");
        Console.WriteLine($"    {"run",5} {"in process",11} {"worker",8} {"ratio",7} {"trivial",8} {"stream",7} {"ratio",7}  load start→end");
        await quiet.RunAsync(1, Runs, async run =>
        {
            var times = cases.Select(_ => new List<double>()).ToArray();
            string start = MachineLoad.Line();
            for (int round = 0; round < RoundsPerRun; round++)
                for (int i = 0; i < cases.Length; i++)
                {
                    int c = (round + run) % 2 == 0 ? i : cases.Length - 1 - i; // the order turns round every round
                    times[c].Add((await cases[c]()).TotalMilliseconds);
                }
            return (Times: times, Start: start, End: MachineLoad.Line());
        }, (run, figures) =>
        {
            var (times, start, end) = figures;
            double local = Statistics.Median(times[0]) / steps, remote = Statistics.Median(times[1]) / steps, trivial = Statistics.Median(times[2]) / steps;
            double streamed = Statistics.Median(times[3]) / batches;
            ratios.Add((remote / local, trivial / streamed));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    {run,5} {local,11:0.00} {remote,8:0.00} {remote / local,6:0.00}× {trivial,8:0.00} {streamed,7:0.00} {trivial / streamed,6:0.00}×  {MachineLoad.OneMinute(start):0.00}→{MachineLoad.OneMinute(end):0.00}"));
        });
        double epoch = Statistics.Median(ratios.Select(r => r.Epoch)), transport = Statistics.Median(ratios.Select(r => r.Transport));
        Console.WriteLine($"    loads of every run, those done again in brackets: {quiet.Describe()}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    (c) median worker/in-process {epoch:0.00}× (target ≤ 1.10×: {MachineLoad.Verdict(epoch <= 1.10, quiet.Highest)})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    item 1: median trivial worker step / job stream batch {transport:0.00}× (target ≤ 1.20×: {MachineLoad.Verdict(transport <= 1.20, quiet.Highest)})"));
    }

    private static async Task<TimeSpan> EpochAsync(ClassifyDigits job, IDeployedModel<ImageData, ClassData> model)
        => (await job.TrainAsync(model, new TrainOptions { Epochs = 1, BatchSize = 64, ShuffleSeed = 1 })).Duration;
}
