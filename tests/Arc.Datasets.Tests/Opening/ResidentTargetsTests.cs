using Arc.Datasets.Tests.Support;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Datasets.Tests.Opening;

/// <summary>
/// A split's small targets file is read into memory when the version is opened (one read, not a pread per sample);
/// inputs are still read from their file. Shown by cutting files short after opening: what is held in memory still
/// reads, what is read from the file fails naming it.
/// </summary>
public sealed class ResidentTargetsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task CutInHalfAsync(string file)
    {
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Write);
        stream.SetLength(stream.Length / 2);
    }

    [Fact]
    public async Task An_opened_versions_targets_read_from_memory_after_their_file_changed()
    {
        using var scratch = new Scratch();
        var published = await new DatasetBuilder<ImageData, ClassData>("resident")
            .AddSplit(DataSplit.Train, SampleData.Images(12))
            .PublishAsync(scratch.Path, "v1", Ct);
        using var version = await DatasetVersion.OpenAsync<ImageData, ClassData>(published.Path, cancellationToken: Ct);
        var expected = new List<long>();
        await foreach (var (_, y) in version.StreamAsync(4, DataSplit.Train, shuffleSeed: 1, cancellationToken: Ct))
            expected.AddRange(y.IndexSpan.ToArray());

        await CutInHalfAsync(Path.Combine(published.Path, "y_train.npy"));
        var after = new List<long>();
        await foreach (var (_, y) in version.StreamAsync(4, DataSplit.Train, shuffleSeed: 1, cancellationToken: Ct))
            after.AddRange(y.IndexSpan.ToArray());
        Assert.Equal(expected, after);

        string inputs = Path.Combine(published.Path, "X_train.npy");
        await CutInHalfAsync(inputs);
        var error = await Assert.ThrowsAsync<DatasetFormatException>(async () =>
        {
            await foreach (var _ in version.StreamAsync(4, DataSplit.Train, shuffleSeed: 1, cancellationToken: Ct)) { }
        });
        Assert.Equal(inputs, error.File);
        Assert.Contains("truncated after it was opened", error.Message);
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
