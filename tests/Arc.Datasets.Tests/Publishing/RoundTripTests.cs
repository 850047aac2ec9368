using System.Text.Json;
using Arc.Datasets.Tests.Support;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Datasets.Tests.Publishing;

/// <summary>
/// Every data type a dataset stores comes back from a published version exactly as it went in, whether its splits
/// were given whole or streamed; and NumPy reads the same values from the files and the same hash from meta.json.
/// </summary>
public sealed class RoundTripTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<DatasetVersion<X, Y>> PublishAndOpenAsync<X, Y>(Scratch scratch, DatasetBuilder<X, Y> builder)
        where X : IArcData<X>
        where Y : IArcData<Y>
    {
        var published = await builder.PublishAsync(scratch.Path, "v1", Ct);
        Assert.Equal(Path.Combine(scratch.Path, builder.Name, "v1"), published.Path);
        return await DatasetVersion.OpenAsync<X, Y>(published.Path, cancellationToken: Ct);
    }

    [Fact]
    public async Task Images_and_classes_given_whole_come_back_bit_for_bit()
    {
        using var scratch = new Scratch();
        var (train, test) = (SampleData.Images(10), SampleData.Images(4, first: 100));
        using var version = await PublishAndOpenAsync(scratch,
            new DatasetBuilder<ImageData, ClassData>("shapes").AddSplit(DataSplit.Train, train).AddSplit(DataSplit.Test, test));

        var (x, y) = await SampleData.ReadAllAsync(version, DataSplit.Train);
        Assert.True(train.Inputs.ContentEquals(x), "train inputs");
        Assert.True(train.Targets.ContentEquals(y), "train targets");
        (x, y) = await SampleData.ReadAllAsync(version, DataSplit.Test, batchSize: 64);
        Assert.True(test.Inputs.ContentEquals(x) && test.Targets.ContentEquals(y), "test split");
        Assert.Equal("shapes:v1", version.Name);
    }

    [Fact]
    public async Task Streamed_texts_of_growing_width_come_back_whole_and_in_order()
    {
        using var scratch = new Scratch();
        // Each batch has longer texts than the one before: the file's width is only known at the end.
        var batches = new[] { SampleData.Texts(3), SampleData.Texts(4, first: 3), SampleData.Texts(5, first: 7) };
        using var version = await PublishAndOpenAsync(scratch,
            new DatasetBuilder<TextData, LabelData>("fortunes").AddSplit(DataSplit.Train, SampleData.Stream(batches)));

        var (x, y) = await SampleData.ReadAllAsync(version, DataSplit.Train, batchSize: 5);
        Assert.Equal(batches.SelectMany(b => b.Inputs.Texts), x.Texts);
        Assert.True(LabelData.Concat(batches.Select(b => b.Targets).ToList()).ContentEquals(y), "labels");
        Assert.Empty(Directory.GetFiles(version.Folder, "*.spill"));
    }

    [Fact]
    public async Task Streamed_tables_audio_and_video_come_back_bit_for_bit()
    {
        using var scratch = new Scratch();
        var table = new[] { SampleData.Table(4), SampleData.Table(6, first: 4) };
        using (var version = await PublishAndOpenAsync(scratch, new DatasetBuilder<TableData, ClassData>("rows").AddSplit(DataSplit.Validation, SampleData.Stream(table))))
        {
            var (x, y) = await SampleData.ReadAllAsync(version, DataSplit.Validation);
            Assert.True(TableData.Concat(table.Select(b => b.Inputs).ToList()).ContentEquals(x), "table");
            Assert.True(ClassData.Concat(table.Select(b => b.Targets).ToList()).ContentEquals(y), "table classes");
        }

        var audio = SampleData.Audio(5);
        using (var version = await PublishAndOpenAsync(scratch, new DatasetBuilder<AudioData, LabelData>("sounds").AddSplit(DataSplit.Train, audio)))
        {
            var (x, y) = await SampleData.ReadAllAsync(version, DataSplit.Train);
            Assert.True(audio.Inputs.ContentEquals(x) && audio.Targets.ContentEquals(y), "audio");
        }

        var video = SampleData.Video(3);
        using (var version = await PublishAndOpenAsync(scratch, new DatasetBuilder<VideoData, ClassData>("clips").AddSplit(DataSplit.Test, video)))
        {
            var (x, y) = await SampleData.ReadAllAsync(version, DataSplit.Test);
            Assert.True(video.Inputs.ContentEquals(x) && video.Targets.ContentEquals(y), "video");
        }
    }

    [Fact]
    public async Task Shuffled_batches_and_samples_pair_inputs_with_their_targets()
    {
        using var scratch = new Scratch();
        using var version = await PublishAndOpenAsync(scratch,
            new DatasetBuilder<ImageData, ClassData>("shapes").AddSplit(DataSplit.Train, SampleData.Images(50)));

        var seen = new List<int>();
        await foreach (var (x, y) in version.StreamAsync(7, DataSplit.Train, shuffleSeed: 3, Ct))
        {
            var ids = SampleData.Ids(x);
            Assert.Equal(ids.Select(i => (long)(i % 3)), y.IndexSpan.ToArray());
            seen.AddRange(ids);
        }
        Assert.Equal(Enumerable.Range(0, 50), seen.Order());
        Assert.NotEqual(Enumerable.Range(0, 50), seen);

        var (sx, sy) = await version.SampleAsync(5, DataSplit.Train, seed: 1, Ct);
        Assert.Equal(SampleData.Ids(sx).Select(i => (long)(i % 3)), sy.IndexSpan.ToArray());
        Assert.Equal(50, (await version.GetSplitAsync(DataSplit.Train, Ct)).Inputs.Count);
    }

    [Fact]
    public async Task NumPy_reads_the_published_values_and_recomputes_the_content_hash()
    {
        using var scratch = new Scratch();
        var texts = SampleData.Texts(6);
        var table = SampleData.Table(5);
        var images = SampleData.Images(4);
        var published = new[]
        {
            await new DatasetBuilder<TextData, LabelData>("texts").AddSplit(DataSplit.Train, texts).PublishAsync(scratch.Path, "v1", Ct),
            await new DatasetBuilder<TableData, ClassData>("table").AddSplit(DataSplit.Train, table).PublishAsync(scratch.Path, "v1", Ct),
            await new DatasetBuilder<ImageData, ClassData>("images").AddSplit(DataSplit.Test, images).WithRaw(Python.Script).PublishAsync(scratch.Path, "v1", Ct),
        };

        foreach (var dataset in published)
        {
            using var numpy = JsonDocument.Parse(Python.NpyCheck("dataset", dataset.Path));
            Assert.Equal(dataset.Metadata.Hash.Value, numpy.RootElement.GetProperty("meta_hash").GetString());
            Assert.Equal(dataset.Metadata.Hash.Value, numpy.RootElement.GetProperty("hash").GetString());
        }

        var arrays = JsonDocument.Parse(Python.NpyCheck("dataset", published[0].Path)).RootElement.GetProperty("arrays");
        Assert.Equal(texts.Inputs.Texts, arrays.GetProperty("X_train.npy").GetProperty("values").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("<f4", arrays.GetProperty("y_train.npy").GetProperty("dtype").GetString());
        Assert.Equal(texts.Targets.Labels.ToArray<float>(), arrays.GetProperty("y_train.npy").GetProperty("values").EnumerateArray().SelectMany(r => r.EnumerateArray()).Select(v => v.GetSingle()));

        var rows = JsonDocument.Parse(Python.NpyCheck("dataset", published[1].Path)).RootElement.GetProperty("arrays").GetProperty("X_train.npy");
        var records = rows.GetProperty("values").EnumerateArray().Select(r => r.EnumerateArray().ToArray()).ToArray();
        Assert.Equal(table.Inputs["id"].Values!.ToArray<long>(), records.Select(r => r[0].GetInt64()));
        Assert.Equal(table.Inputs["big"].Values!.ToArray<double>(), records.Select(r => r[2].GetDouble()));
        Assert.Equal(table.Inputs["flag"].Values!.ToArray<bool>(), records.Select(r => r[5].GetBoolean()));
        Assert.Equal(table.Inputs["name"].Strings, records.Select(r => r[6].GetString()));

        var pixels = JsonDocument.Parse(Python.NpyCheck("dataset", published[2].Path)).RootElement.GetProperty("arrays").GetProperty("X_test.npy");
        Assert.Equal([4, 1, 2, 3], pixels.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
    }
}
