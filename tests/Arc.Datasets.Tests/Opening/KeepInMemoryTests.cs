using Arc.Datasets.Tests.Support;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Datasets.Tests.Opening;

/// <summary>
/// An opened version reads its smallest files into memory while they fit in <see cref="DatasetOpenOptions.KeepInMemoryBytes"/>
/// together (one read, not a pread per sample); the others are read from their files. Shown by cutting files short after
/// opening: what is held in memory still reads, what is read from the file fails naming it.
/// </summary>
public sealed class KeepInMemoryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task CutInHalfAsync(string file)
    {
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Write);
        stream.SetLength(stream.Length / 2);
    }

    private static async Task<(List<long> Targets, List<float> Pixels)> EpochAsync(DatasetVersion<ImageData, ClassData> version)
    {
        var targets = new List<long>();
        var pixels = new List<float>();
        await foreach (var (x, y) in version.StreamAsync(4, DataSplit.Train, shuffleSeed: 1, cancellationToken: Ct))
        {
            targets.AddRange(y.IndexSpan.ToArray());
            pixels.AddRange(x.Pixels.AsSpan<float>().ToArray());
        }
        return (targets, pixels);
    }

    private static void AssertSameEpoch((List<long> Targets, List<float> Pixels) expected, (List<long> Targets, List<float> Pixels) actual)
    {
        Assert.Equal(expected.Targets, actual.Targets);
        Assert.Equal(expected.Pixels, actual.Pixels);
    }

    private static Task<PublishedDataset> PublishAsync(Scratch scratch)
        => new DatasetBuilder<ImageData, ClassData>("resident")
            .AddSplit(DataSplit.Train, SampleData.Images(12)) // X_train: 12 rows of 24 bytes; y_train: 12 of 8
            .PublishAsync(scratch.Path, "v1", Ct);

    [Fact]
    public async Task Within_the_budget_the_smallest_file_is_held_and_the_other_read_from_disk()
    {
        using var scratch = new Scratch();
        var published = await PublishAsync(scratch);
        using var version = await DatasetVersion.OpenAsync<ImageData, ClassData>(published.Path, new DatasetOpenOptions { KeepInMemoryBytes = 100 }, Ct);
        var expected = await EpochAsync(version);

        await CutInHalfAsync(Path.Combine(published.Path, "y_train.npy"));
        AssertSameEpoch(expected, await EpochAsync(version));

        string inputs = Path.Combine(published.Path, "X_train.npy");
        await CutInHalfAsync(inputs);
        var error = await Assert.ThrowsAsync<DatasetFormatException>(() => EpochAsync(version));
        Assert.Equal(inputs, error.File);
        Assert.Contains("truncated after it was opened", error.Message);
    }

    [Fact]
    public async Task By_default_a_small_version_is_held_whole()
    {
        using var scratch = new Scratch();
        var published = await PublishAsync(scratch);
        using var version = await DatasetVersion.OpenAsync<ImageData, ClassData>(published.Path, cancellationToken: Ct);
        var expected = await EpochAsync(version);

        await CutInHalfAsync(Path.Combine(published.Path, "y_train.npy"));
        await CutInHalfAsync(Path.Combine(published.Path, "X_train.npy"));
        AssertSameEpoch(expected, await EpochAsync(version));
    }

    [Fact]
    public async Task With_no_budget_every_file_is_read_from_disk()
    {
        using var scratch = new Scratch();
        var published = await PublishAsync(scratch);
        using var version = await DatasetVersion.OpenAsync<ImageData, ClassData>(published.Path, new DatasetOpenOptions { KeepInMemoryBytes = 0 }, Ct);
        await EpochAsync(version);

        string targets = Path.Combine(published.Path, "y_train.npy");
        await CutInHalfAsync(targets);
        var error = await Assert.ThrowsAsync<DatasetFormatException>(() => EpochAsync(version));
        Assert.Equal(targets, error.File);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DatasetOpenOptions { KeepInMemoryBytes = -1 });
    }

    [Fact]
    public async Task Only_a_file_within_the_limit_is_held_in_memory()
    {
        using var scratch = new Scratch();
        string path = scratch["rows.npy"];
        await Npy.WriteAsync(path, ArcArray.From(Enumerable.Range(0, 100).Select(i => (long)i).ToArray(), 100), Ct);
        using var kept = NpyRowReader.Open(path);
        using var streamed = NpyRowReader.Open(path);
        Assert.False(streamed.KeepInMemoryIfAtMost(799));  // 100 rows of 8 bytes: one byte over
        Assert.True(kept.KeepInMemoryIfAtMost(800));

        await CutInHalfAsync(path);
        Assert.Equal([99L, 3, 50], ArcArray.FromBytes(ArcDType.Int64, [3], kept.TakeRows([99, 3, 50])).ToArray<long>());
        Assert.Contains("truncated after it was opened", Assert.Throws<DatasetFormatException>(() => streamed.TakeRows([99])).Message);
    }
}
