using System.Diagnostics;
using System.Globalization;
using Arc.Datasets;
using Arc.Samples.Mnist;
using Arc.Sdk;
using Arc.Types;
using TorchSharp;

namespace Arc.Bench;

/// <summary>
/// Datasets, two comparisons in one run, each case taking turns with the other and reported as the median of its runs:
/// (1) publish hashing — the content hash of a published version (what <c>PublishAsync</c> computes and
/// <c>OpenAsync</c> verifies) in MB/s, beside coreutils' <c>sha256sum</c> of the same files; (2) one training epoch of
/// the MNIST sample's MLP read from a published version (<c>DatasetVersion</c>, default options: a version this size is
/// held in memory) against the same epoch from the same data held in memory by a plain job, with a third row for the
/// version read with positional reads only (<c>KeepInMemoryBytes = 0</c>). /proc/loadavg is printed before and after: a ratio taken at a load above
/// 1 is not a measurement of this code alone.
/// </summary>
public static class DatasetsGroup
{
    private const int BatchSize = 64;

    public static void Run(BenchOptions options) => RunAsync(options).GetAwaiter().GetResult();

    private static async Task RunAsync(BenchOptions options)
    {
        string folder = Path.Combine(Path.GetTempPath(), "arc-bench-datasets-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            Console.WriteLine("datasets: publish hashing beside sha256sum, and a training epoch from a published version beside memory");
            Console.WriteLine($"  loadavg before: {MachineLoad.Line()}");
            await HashingAsync(options, folder);
            await EpochAsync(options, folder);
            Console.WriteLine($"  loadavg after: {MachineLoad.Line()}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task HashingAsync(BenchOptions options, string folder)
    {
        int rows = options.Quick ? 16_384 : 262_144; // 1×32×32 float32, 4 KiB a row: 64 MiB or 1 GiB of inputs
        int runs = options.Quick ? 3 : 7;
        var clock = Stopwatch.StartNew();
        var published = await new DatasetBuilder<ImageData, ClassData>("hashing").AddSplit(DataSplit.Train, Rows(rows, 32, 4096, 3)).PublishAsync(folder, "v1");
        var publishTime = clock.Elapsed;
        var files = DatasetHashing.ListFiles(published.Path);
        double megabytes = published.Metadata.SizeBytes / 1e6;

        var arc = new List<double>();
        var coreutils = new List<double>();
        var quiet = new QuietRuns(startBelow: options.Quick ? double.PositiveInfinity : 0.6);
        // The two in turns, either first every other run; run 0 warms up (page cache, JIT) and is not counted.
        (TimeSpan Ours, TimeSpan Theirs) Measure(int run)
        {
            if (run % 2 == 0)
            {
                var ours = Time(() => Hash(published.Path, files, published.Metadata.Hash.Value));
                return (ours, Time(() => Sha256Sum(published.Path, files)));
            }
            var theirs = Time(() => Sha256Sum(published.Path, files));
            return (Time(() => Hash(published.Path, files, published.Metadata.Hash.Value)), theirs);
        }
        Measure(0);
        foreach (var (_, (ours, theirs)) in await quiet.RunAsync(1, runs, run => Task.FromResult(Measure(run))))
        {
            arc.Add(megabytes / ours.TotalSeconds);
            coreutils.Add(megabytes / theirs.TotalSeconds);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  publish hashing of {files.Count} files, {megabytes:0} MB (published in {publishTime.TotalSeconds:0.0} s), {runs} interleaved runs, median MB/s (higher is better)"));
        Console.WriteLine($"  {"case",-44} {"median",9} {"min",9} {"max",9}");
        Line("Arc content hash (SHA-256, a core per file)", arc);
        Line("sha256sum (coreutils) of the same files", coreutils);
        Console.WriteLine($"  1-minute load at each run's start→end: {quiet.Describe()}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  ratio Arc / sha256sum: {Statistics.Median(arc) / Statistics.Median(coreutils):0.00}×; target Arc ≥ 1,000 MB/s: {MachineLoad.Verdict(Statistics.Median(arc) >= 1000, quiet.Highest)}"));
    }

    private static async Task EpochAsync(BenchOptions options, string folder)
    {
        int rows = options.Quick ? 4_096 : 60_000;
        int runs = options.Quick ? 1 : 5;
        torch.set_num_threads(Environment.ProcessorCount);
        var split = Batch.Concat(await Collect(Rows(rows, 28, 4096, MnistDigits.ClassNames.Count)));
        var memory = new MemoryJob(split);
        var published = await new DatasetBuilder<ImageData, ClassData>("epoch").AddSplit(DataSplit.Train, split).PublishAsync(folder, "v1");
        using var dataset = await DatasetVersion.OpenAsync<ImageData, ClassData>(published.Path);
        using var streamed = await DatasetVersion.OpenAsync<ImageData, ClassData>(published.Path, new DatasetOpenOptions { KeepInMemoryBytes = 0 });

        // Three cases in a rotating order, so that none always runs first or last in a run.
        var cases = new (string Name, SupervisedJob<ImageData, ClassData> Job, List<double> Figures)[]
        {
            ("from memory (the split as one batch)", memory, []),
            ("from the published version (default options)", dataset, []),
            ("from the published version, KeepInMemoryBytes = 0", streamed, []),
        };
        // An epoch keeps both cores busy for seconds: every counted run waits for the 1-minute load to fall first, so
        // that the figure is judged on a machine that was quiet at each run's start and end.
        var quiet = new QuietRuns(startBelow: options.Quick ? double.PositiveInfinity : 0.6);
        // Each run takes the cases in a rotating order; run 0 warms up and is not counted.
        async Task<double[]> Measure(int run)
        {
            var measured = new double[cases.Length];
            for (int k = 0; k < cases.Length; k++)
            {
                int i = (run + k) % cases.Length;
                measured[i] = await EpochSamplesPerSecond(cases[i].Job);
            }
            return measured;
        }
        await Measure(0);
        foreach (var (_, measured) in await quiet.RunAsync(1, runs, Measure))
            for (int i = 0; i < cases.Length; i++) cases[i].Figures.Add(measured[i]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  one shuffled epoch of the MNIST sample's MLP, {rows} samples of 1×28×28 float32, batch {BatchSize}, {runs} interleaved runs, median samples/s (higher is better)"));
        Console.WriteLine($"  {"case",-52} {"median",9} {"min",9} {"max",9}");
        foreach (var c in cases) Line(c.Name, c.Figures, width: 52);
        double ratio = Statistics.Median(cases[1].Figures) / Statistics.Median(cases[0].Figures);
        double streamedRatio = Statistics.Median(cases[2].Figures) / Statistics.Median(cases[0].Figures);
        Console.WriteLine($"  1-minute load at each run's start→end: {quiet.Describe()}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  ratio published / memory: {ratio:0.00}×; target ≥ 0.80×: {MachineLoad.Verdict(ratio >= 0.80, quiet.Highest)} (streamed, nothing held: {streamedRatio:0.00}×)"));
    }

    private static async Task<double> EpochSamplesPerSecond(SupervisedJob<ImageData, ClassData> job)
    {
        using var model = new MlpClassifier(seed: 1);
        var summary = await job.TrainAsync(model, new TrainOptions { Epochs = 1, BatchSize = BatchSize, ShuffleSeed = 1 });
        return summary.Samples / summary.Duration.TotalSeconds;
    }

    private static void Hash(string folder, IReadOnlyList<string> files, string expected)
    {
        var hashed = DatasetHashing.HashFilesAsync(folder, files, CancellationToken.None).GetAwaiter().GetResult();
        // The content member is part of the hash; its few hundred bytes are read from meta.json as OpenAsync does.
        var (_, _, _, content) = MetaJson.ReadAsync(Path.Combine(folder, MetaJson.FileName), CancellationToken.None).GetAwaiter().GetResult();
        if (DatasetHashing.Combine(hashed, content) != expected) throw new InvalidOperationException("the content hash changed between runs");
    }

    private static void Sha256Sum(string folder, IReadOnlyList<string> files)
    {
        var start = new ProcessStartInfo("sha256sum") { WorkingDirectory = folder, RedirectStandardOutput = true };
        foreach (var file in files) start.ArgumentList.Add(file);
        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"sha256sum exited with {process.ExitCode}");
    }

    /// <summary>Rows of 1×side×side float32 pixels (a fixed pseudo-random pattern) and classes i mod K, in batches.</summary>
    private static async IAsyncEnumerable<Batch<ImageData, ClassData>> Rows(int rows, int side, int perBatch, int classes)
    {
        var names = Enumerable.Range(0, classes).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        if (classes == MnistDigits.ClassNames.Count) names = MnistDigits.ClassNames.ToArray();
        var random = new Random(1);
        for (int start = 0; start < rows; start += perBatch)
        {
            await Task.Yield();
            int count = Math.Min(perBatch, rows - start);
            var pixels = new float[count * side * side];
            for (int i = 0; i < pixels.Length; i++) pixels[i] = random.NextSingle();
            var labels = Enumerable.Range(start, count).Select(i => (long)(i % classes)).ToArray();
            yield return new(new ImageData(ArcArray.From(pixels, count, 1, side, side)), new ClassData(labels, names));
        }
    }

    private static async Task<List<Batch<ImageData, ClassData>>> Collect(IAsyncEnumerable<Batch<ImageData, ClassData>> batches)
    {
        var list = new List<Batch<ImageData, ClassData>>();
        await foreach (var batch in batches) list.Add(batch);
        return list;
    }

    private sealed class MemoryJob(Batch<ImageData, ClassData> split) : SupervisedJob<ImageData, ClassData>
    {
        protected override ValueTask<Batch<ImageData, ClassData>> LoadSplitAsync(DataSplit s, CancellationToken cancellationToken)
            => s == DataSplit.Train ? ValueTask.FromResult(split) : throw new NotSupportedException($"no {s} split");
    }

    private static class Batch
    {
        public static Batch<ImageData, ClassData> Concat(List<Batch<ImageData, ClassData>> parts)
            => new(ImageData.Concat(parts.Select(p => p.Inputs).ToList()), ClassData.Concat(parts.Select(p => p.Targets).ToList()));
    }

    private static TimeSpan Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed;
    }

    private static void Line(string name, List<double> values, int width = 44)
        => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name.PadRight(width)} {Statistics.Median(values),9:0} {values.Min(),9:0} {values.Max(),9:0}"));
}
