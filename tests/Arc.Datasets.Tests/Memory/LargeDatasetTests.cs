using System.Diagnostics;
using System.Globalization;
using Arc.Datasets.Tests.Support;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Datasets.Tests.Memory;

/// <summary>
/// A dataset much larger than what the process may hold: a generated 2 GiB version is published from a stream,
/// opened with its hash verified, and a real model trains one shuffled epoch over it, while the process's resident
/// memory (sampled every 20 ms) grows by less than 300 MB.
/// </summary>
[Collection(nameof(AloneCollection))]
public sealed class LargeDatasetTests
{
    private const int Side = 32;                                   // 1×32×32 float32 images: 4 KiB a row
    private const int Rows = (int)((2L << 30) / (Side * Side * 4)); // 524,288 rows: 2 GiB of inputs
    private const int RowsPerBatch = 4096;
    private const long AllowedGrowth = 300_000_000;
    private static readonly string[] Classes = ["low", "middle", "high"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_2_GiB_dataset_trains_an_epoch_with_resident_memory_growing_by_less_than_300_MB()
    {
        using var scratch = new Scratch();
        // libtorch's code and the model are paged in before the baseline: they are not the dataset's memory.
        using var model = new TinyClassifier(Side * Side, Classes);
        var warm = Generate(0, 64);
        model.Fit(warm.Inputs, warm.Targets);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        long baseline = ResidentBytes();

        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        long peak = baseline, peakFile = 0, peakAnon = 0;
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                long now = ResidentBytes();
                if (now > Interlocked.Read(ref peak)) Interlocked.Exchange(ref peak, now);
                peakFile = Math.Max(peakFile, ResidentBytes("RssFile"));
                peakAnon = Math.Max(peakAnon, ResidentBytes("RssAnon"));
                try { await Task.Delay(20, sampling.Token); } catch (OperationCanceledException) { }
            }
        }, Ct);

        var clock = Stopwatch.StartNew();
        var published = await new DatasetBuilder<ImageData, ClassData>("large")
            .AddSplit(DataSplit.Train, Batches())
            .PublishAsync(scratch.Path, "v1", Ct);
        var publishTime = clock.Elapsed;
        long afterPublish = Interlocked.Read(ref peak);
        Assert.True(published.Metadata.SizeBytes > 2L << 30, $"the dataset has {published.Metadata.SizeBytes} bytes, not over 2 GiB");

        clock.Restart();
        using var version = await DatasetVersion.OpenAsync<ImageData, ClassData>(published.Path, cancellationToken: Ct);
        var openTime = clock.Elapsed;
        long afterOpen = Interlocked.Read(ref peak);

        clock.Restart();
        var summary = await version.TrainAsync(model, new TrainOptions { Epochs = 1, BatchSize = 1024, ShuffleSeed = 7 }, cancellationToken: Ct);
        var trainTime = clock.Elapsed;
        sampling.Cancel();
        await sampler;

        long growth = Interlocked.Read(ref peak) - baseline;
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"publish {publishTime.TotalSeconds:0.0} s, open (hash verified) {openTime.TotalSeconds:0.0} s, train {trainTime.TotalSeconds:0.0} s; resident growth {growth / 1e6:0} MB (peak after publishing {(afterPublish - baseline) / 1e6:0}, after opening {(afterOpen - baseline) / 1e6:0}; peak file-backed {peakFile / 1e6:0}, anonymous {peakAnon / 1e6:0})"));
        Assert.Equal(Rows, summary.Samples);
        Assert.True(summary.LastEpochLoss < Math.Log(Classes.Length), $"the model did not learn: mean loss {summary.LastEpochLoss}");
        Assert.True(growth < AllowedGrowth, string.Create(CultureInfo.InvariantCulture,
            $"resident memory grew by {growth / 1e6:0} MB (baseline {baseline / 1e6:0} MB, peak {peak / 1e6:0} MB); the limit is {AllowedGrowth / 1e6:0} MB"));
    }

    private static async IAsyncEnumerable<Batch<ImageData, ClassData>> Batches()
    {
        for (int start = 0; start < Rows; start += RowsPerBatch)
        {
            await Task.Yield();
            yield return Generate(start, Math.Min(RowsPerBatch, Rows - start));
        }
    }

    /// <summary>Rows whose pixels are their class (i mod 3) scaled, plus a ripple: a model can learn the class.</summary>
    private static Batch<ImageData, ClassData> Generate(int start, int count)
    {
        const int pixels = Side * Side;
        var values = new float[count * pixels];
        var classes = new long[count];
        for (int i = 0; i < count; i++)
        {
            int row = start + i;
            classes[i] = row % Classes.Length;
            values.AsSpan(i * pixels, pixels).Fill(classes[i] * 0.5f + (row % 17) / 100f);
        }
        return new(new ImageData(ArcArray.From(values, count, 1, Side, Side)), new ClassData(classes, Classes));
    }

    private static long ResidentBytes(string field = "VmRSS")
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
                return long.Parse(line.AsSpan(field.Length + 1).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
        throw new InvalidOperationException($"/proc/self/status has no {field} line");
    }
}
