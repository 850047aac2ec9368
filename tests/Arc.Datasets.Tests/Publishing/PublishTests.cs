using System.Text.Json;
using Arc.Datasets.Tests.Support;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Datasets.Tests.Publishing;

/// <summary>
/// Publishing writes <c>&lt;name&gt;/&lt;version&gt;/</c> with the arrays, raw data, processor state and meta.json; the
/// content hash depends on the content only; a version is published once; and a publish that fails leaves nothing.
/// </summary>
public sealed class PublishTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DatasetBuilder<ImageData, ClassData> Shapes() => new DatasetBuilder<ImageData, ClassData>("shapes")
        .AddSplit(DataSplit.Train, SampleData.Images(12))
        .AddSplit(DataSplit.Test, SampleData.Images(5, first: 50))
        .AddTags("image", "classification", "image");

    [Fact]
    public async Task The_version_folder_holds_the_arrays_and_a_meta_json_that_says_what_they_are()
    {
        using var scratch = new Scratch();
        var before = DateTimeOffset.UtcNow;
        var published = await Shapes().PublishAsync(scratch.Path, "v1", Ct);

        Assert.Equal(["X_test.npy", "X_train.npy", "meta.json", "y_test.npy", "y_train.npy"],
            Directory.GetFiles(published.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["v1"], Directory.GetFileSystemEntries(Path.Combine(scratch.Path, "shapes")).Select(Path.GetFileName));

        var meta = await DatasetVersion.ReadMetadataAsync(published.Path, cancellationToken: Ct);
        Assert.Equal((published.Metadata.Hash, published.Metadata.CreatedAt), (meta.Hash, meta.CreatedAt));
        Assert.Equal((1, "shapes", "v1"), (meta.FormatVersion, meta.Name, meta.Version));
        Assert.InRange(meta.CreatedAt, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(["image", "classification"], meta.Tags);
        Assert.Equal(new DatasetPartType("image", null, null, null), meta.X);
        Assert.Equal("class", meta.Y.Type);
        Assert.Equal(SampleData.Classes, meta.Y.Names);
        Assert.Equal([DataSplit.Train, DataSplit.Test], meta.Splits.Select(s => s.Split));
        var train = meta.Split(DataSplit.Train)!;
        Assert.Equal(12, train.Samples);
        Assert.Equal(("X_train.npy", "<f4"), (train.X.File, train.X.DType));
        Assert.Equal([12L, 1, 2, 3], train.X.Shape);
        Assert.Equal(("y_train.npy", "<i8"), (train.Y.File, train.Y.DType));
        Assert.Equal([12L], train.Y.Shape);
        Assert.Equal(["X_test.npy", "X_train.npy", "y_test.npy", "y_train.npy"], meta.Files.Select(f => f.Path));
        Assert.All(meta.Files, f => Assert.Equal(new FileInfo(Path.Combine(published.Path, f.Path)).Length, f.Bytes));
        Assert.Equal(meta.Files.Sum(f => f.Bytes), meta.SizeBytes);
        Assert.Equal("sha256", meta.Hash.Algorithm);
        Assert.Matches("^[0-9a-f]{64}$", meta.Hash.Value);

        using var json = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(published.Path, "meta.json"), Ct));
        Assert.Equal(meta.SizeBytes, json.RootElement.GetProperty("size_bytes").GetInt64());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("content").GetProperty("processor").ValueKind);
    }

    [Fact]
    public async Task The_hash_is_the_sha256_of_the_manifest_that_sha256sum_would_list()
    {
        using var scratch = new Scratch();
        var published = await Shapes().PublishAsync(scratch.Path, "v1", Ct);

        // The per-file lines as coreutils writes them, then the content line; sorted as docs/datasets.md says.
        var files = published.Metadata.Files.Select(f => f.Path).ToArray();
        var sha256sum = Run("sha256sum", published.Path, files);
        var content = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(published.Path, "meta.json"), Ct)).RootElement.GetProperty("content").GetRawText();
        string contentLine = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(content))) + "  meta.json#content\n";
        var lines = sha256sum.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l + "\n").Append(contentLine)
            .OrderBy(l => l[66..], StringComparer.Ordinal);
        string manifest = string.Concat(lines);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(manifest))), published.Metadata.Hash.Value);
    }

    [Fact]
    public async Task The_same_inputs_give_the_same_hash_however_they_are_batched_and_other_inputs_another()
    {
        using var scratch = new Scratch();
        var whole = await Shapes().PublishAsync(scratch.Path, "v1", Ct);
        var again = await Shapes().PublishAsync(scratch["elsewhere"], "v7", Ct);
        var streamed = await new DatasetBuilder<ImageData, ClassData>("shapes")
            .AddSplit(DataSplit.Train, SampleData.Stream(SampleData.Images(5), SampleData.Images(0, first: 5), SampleData.Images(7, first: 5)))
            .AddSplit(DataSplit.Test, SampleData.Stream(SampleData.Images(5, first: 50)))
            .PublishAsync(scratch.Path, "v2", Ct);

        Assert.Equal(whole.Metadata.Hash, again.Metadata.Hash);
        Assert.Equal(whole.Metadata.Hash, streamed.Metadata.Hash);
        Assert.NotEqual(whole.Metadata.CreatedAt, again.Metadata.CreatedAt);

        var oneSampleLess = await new DatasetBuilder<ImageData, ClassData>("shapes")
            .AddSplit(DataSplit.Train, SampleData.Images(11)).AddSplit(DataSplit.Test, SampleData.Images(5, first: 50)).PublishAsync(scratch.Path, "v3", Ct);
        var renamed = SampleData.Images(12);
        var otherNames = await new DatasetBuilder<ImageData, ClassData>("shapes")
            .AddSplit(DataSplit.Train, new Batch<ImageData, ClassData>(renamed.Inputs, new ClassData(renamed.Targets.Indices, ["cat", "dog", "unicorn"])))
            .AddSplit(DataSplit.Test, new Batch<ImageData, ClassData>(SampleData.Images(5, first: 50).Inputs, new ClassData(SampleData.Images(5, first: 50).Targets.Indices, ["cat", "dog", "unicorn"])))
            .PublishAsync(scratch.Path, "v4", Ct);
        Assert.NotEqual(whole.Metadata.Hash, oneSampleLess.Metadata.Hash);
        Assert.NotEqual(whole.Metadata.Hash, otherNames.Metadata.Hash); // the class names are content: the hash covers them
    }

    [Fact]
    public async Task Republishing_a_version_is_refused_and_the_published_one_is_untouched()
    {
        using var scratch = new Scratch();
        var first = await Shapes().PublishAsync(scratch.Path, "v1", Ct);
        var bytes = await File.ReadAllBytesAsync(Path.Combine(first.Path, "meta.json"), Ct);

        var error = await Assert.ThrowsAsync<DatasetVersionExistsException>(() => new DatasetBuilder<ImageData, ClassData>("shapes")
            .AddSplit(DataSplit.Train, SampleData.Images(3)).PublishAsync(scratch.Path, "v1", Ct));
        Assert.Equal(first.Path, error.Path);
        Assert.Contains("already published", error.Message);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(first.Path, "meta.json"), Ct));
        using var version = await DatasetVersion.OpenAsync<ImageData, ClassData>(first.Path, cancellationToken: Ct);
        Assert.Equal(12, version.Metadata.Split(DataSplit.Train)!.Samples);
    }

    [Fact]
    public async Task A_publish_that_fails_or_is_cancelled_midway_leaves_nothing_visible()
    {
        using var scratch = new Scratch();
        static async IAsyncEnumerable<Batch<ImageData, ClassData>> Failing()
        {
            yield return SampleData.Images(4);
            await Task.Yield();
            throw new IOException("the source broke on purpose");
        }

        var error = await Assert.ThrowsAsync<IOException>(() => new DatasetBuilder<ImageData, ClassData>("shapes")
            .AddSplit(DataSplit.Test, SampleData.Images(2)).AddSplit(DataSplit.Train, Failing()).PublishAsync(scratch.Path, "v1", Ct));
        Assert.Equal("the source broke on purpose", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(scratch["shapes"]));

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        async IAsyncEnumerable<Batch<ImageData, ClassData>> CancelledMidway()
        {
            yield return SampleData.Images(4);
            cancel.Cancel();
            await Task.Yield();
            yield return SampleData.Images(4, first: 4);
        }
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new DatasetBuilder<ImageData, ClassData>("shapes")
            .AddSplit(DataSplit.Train, CancelledMidway()).PublishAsync(scratch.Path, "v1", cancel.Token));
        Assert.Empty(Directory.GetFileSystemEntries(scratch["shapes"]));
    }

    [Fact]
    public async Task A_killed_publishs_hidden_folder_is_swept_by_the_next_publish()
    {
        using var scratch = new Scratch();
        // The temporary folder of a publish whose process (pid 999999999, never alive) died a while ago.
        string left = scratch[$"shapes/.publishing-999999999-1-{Guid.NewGuid():N}"];
        Directory.CreateDirectory(left);
        await File.WriteAllTextAsync(Path.Combine(left, "X_train.npy"), "half", Ct);
        Directory.SetLastWriteTimeUtc(left, DateTime.UtcNow.AddHours(-1));

        await Shapes().PublishAsync(scratch.Path, "v1", Ct);
        Assert.Equal(["v1"], Directory.GetFileSystemEntries(scratch["shapes"]).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Raw_data_is_copied_and_covered_by_the_hash()
    {
        using var scratch = new Scratch();
        Directory.CreateDirectory(scratch["source/images/deep"]);
        await File.WriteAllTextAsync(scratch["source/labels.csv"], "file,class\na.png,cat\n", Ct);
        await File.WriteAllBytesAsync(scratch["source/images/deep/a.png"], [0x89, 0x50, 0x4e, 0x47], Ct);

        var withRaw = await Shapes().WithRaw(scratch["source"]).PublishAsync(scratch["out"], "v1", Ct);
        var without = await Shapes().PublishAsync(scratch["out"], "v2", Ct);

        Assert.Equal("file,class\na.png,cat\n", await File.ReadAllTextAsync(Path.Combine(withRaw.Path, "raw", "labels.csv"), Ct));
        Assert.Equal([0x89, 0x50, 0x4e, 0x47], await File.ReadAllBytesAsync(Path.Combine(withRaw.Path, "raw", "images", "deep", "a.png"), Ct));
        Assert.Contains("raw/images/deep/a.png", withRaw.Metadata.Files.Select(f => f.Path));
        Assert.Contains("raw/labels.csv", withRaw.Metadata.Files.Select(f => f.Path));
        Assert.NotEqual(without.Metadata.Hash, withRaw.Metadata.Hash);
    }

    [Fact]
    public async Task The_processor_slot_keeps_type_parameters_and_state_and_checks_the_type_on_reading()
    {
        using var scratch = new Scratch();
        var published = await Shapes().WithProcessor(new BlobProcessor("Normalize", [1, 2, 3, 250])).PublishAsync(scratch.Path, "v1", Ct);
        var other = await Shapes().WithProcessor(new BlobProcessor("Normalize", [1, 2, 3, 251])).PublishAsync(scratch.Path, "v2", Ct);
        Assert.NotEqual(published.Metadata.Hash, other.Metadata.Hash);

        using var version = await DatasetVersion.OpenAsync<ImageData, ClassData>(published.Path, cancellationToken: Ct);
        Assert.Equal(new DatasetProcessorInfo("Normalize", """{"mean":0.5,"scale":2}""", "processor.arc"), version.Metadata.Processor);
        using (var state = version.OpenProcessorState("Normalize"))
        {
            var bytes = new byte[8];
            Assert.Equal(4, await state.ReadAtLeastAsync(bytes, 8, throwOnEndOfStream: false, Ct));
            Assert.Equal([1, 2, 3, 250], bytes[..4]);
        }
        var error = Assert.Throws<DatasetFormatException>(() => version.OpenProcessorState("Vocabulary"));
        Assert.Equal(Path.Combine(published.Path, "processor.arc"), error.File);
        Assert.Contains("state of a Normalize processor, not of a Vocabulary", error.Message);
    }

    [Fact]
    public async Task Batches_that_cannot_be_stored_are_refused_by_name_and_nothing_is_published()
    {
        using var scratch = new Scratch();
        var images = SampleData.Images(4);
        var mismatched = new Batch<ImageData, ClassData>(images.Inputs, images.Targets.Slice(0, 3));
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            new DatasetBuilder<ImageData, ClassData>("bad").AddSplit(DataSplit.Train, mismatched).PublishAsync(scratch.Path, "v1", Ct));
        Assert.Contains("batch 1 of the train split has 4 inputs but 3 targets", error.Message);

        var renamed = new Batch<ImageData, ClassData>(SampleData.Images(2).Inputs, new ClassData([0, 1], ["a", "b"]));
        error = await Assert.ThrowsAsync<ArgumentException>(() => new DatasetBuilder<ImageData, ClassData>("bad")
            .AddSplit(DataSplit.Train, SampleData.Stream(SampleData.Images(3), renamed)).PublishAsync(scratch.Path, "v1", Ct));
        Assert.Contains("batch 2 of the targets of the train split: it has names [a, b], but the first batch has names [cat, dog, ünïcørn]", error.Message);

        error = await Assert.ThrowsAsync<ArgumentException>(() => new DatasetBuilder<ImageData, ClassData>("bad")
            .AddSplit(DataSplit.Train, SampleData.Images(3)).AddSplit(DataSplit.Test, renamed).PublishAsync(scratch.Path, "v1", Ct));
        Assert.Contains("the targets of the test split have names [a, b], but those of the train split have names [cat, dog, ünïcørn]", error.Message);

        var wider = new Batch<ImageData, ClassData>(new ImageData(ArcArray.Zeros(ArcDType.Float32, 2, 1, 3, 3)), new ClassData([0, 1], SampleData.Classes));
        error = await Assert.ThrowsAsync<ArgumentException>(() => new DatasetBuilder<ImageData, ClassData>("bad")
            .AddSplit(DataSplit.Train, SampleData.Stream(SampleData.Images(3), wider)).PublishAsync(scratch.Path, "v1", Ct));
        Assert.Contains("batch 2 of the inputs of the train split: its rows are <f4 rows of [1, 3, 3], but the first batch's were <f4 rows of [1, 2, 3]", error.Message);

        var scored = new ClassData(ArcArray.From(new long[] { 0 }, 1), SampleData.Classes, ArcArray.From(new float[] { 1, 0, 0 }, 1, 3));
        error = await Assert.ThrowsAsync<ArgumentException>(() => new DatasetBuilder<ImageData, ClassData>("bad")
            .AddSplit(DataSplit.Train, new Batch<ImageData, ClassData>(SampleData.Images(1).Inputs, scored)).PublishAsync(scratch.Path, "v1", Ct));
        Assert.Contains("scores", error.Message);

        error = await Assert.ThrowsAsync<ArgumentException>(() => new DatasetBuilder<TextData, ClassData>("bad")
            .AddSplit(DataSplit.Train, new Batch<TextData, ClassData>(new TextData("ok", "ends in\0"), new ClassData([0, 1], SampleData.Classes))).PublishAsync(scratch.Path, "v1", Ct));
        Assert.Contains("text 1 ends with U+0000", error.Message);

        error = await Assert.ThrowsAsync<ArgumentException>(() => new DatasetBuilder<ImageData, ClassData>("bad")
            .AddSplit(DataSplit.Train, SampleData.Stream<ImageData, ClassData>()).PublishAsync(scratch.Path, "v1", Ct));
        Assert.Contains("the inputs of the train split: no batches came", error.Message);

        Assert.Empty(Directory.GetFileSystemEntries(scratch["bad"]));
    }

    [Fact]
    public async Task Names_destinations_and_types_are_checked_before_anything_is_written()
    {
        using var scratch = new Scratch();
        Assert.Throws<ArgumentException>(() => new DatasetBuilder<ImageData, ClassData>("../up"));
        await Assert.ThrowsAsync<ArgumentException>(() => Shapes().PublishAsync(scratch.Path, ".hidden", Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => new DatasetBuilder<ImageData, ClassData>("empty").PublishAsync(scratch.Path, "v1", Ct));
        var other = await Assert.ThrowsAsync<NotSupportedException>(() => Shapes().PublishAsync("ftp://127.0.0.1/datasets", "v1", Ct));
        Assert.Contains("a local folder (a path or file://), s3://bucket/prefix or oci://host/repository", other.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => Shapes().PublishAsync("s3://x/datasets", "v1", Ct)); // not a bucket name
        await Assert.ThrowsAsync<ArgumentException>(() => Shapes().PublishAsync("oci://127.0.0.1:5000/Upper/Case", "v1", Ct));
        Assert.Throws<NotSupportedException>(() => new DatasetBuilder<ImageData, Payload>("custom"));
        Assert.Empty(Directory.GetFileSystemEntries(scratch.Path));
    }

    /// <summary>A user's own data type, which datasets cannot store.</summary>
    private sealed class Payload : IArcData<Payload>
    {
        public int Count => 0;
        public static string WireTag => "payload";
        public Payload Slice(int start, int count) => this;
        public Payload Take(ReadOnlySpan<int> indices) => this;
        public static Payload Concat(IReadOnlyList<Payload> batches) => batches[0];
        public static void WriteWire(ref MessagePack.MessagePackWriter writer, Payload value) => writer.WriteNil();
        public static Payload ReadWire(ref MessagePack.MessagePackReader reader) => new();
    }

    private static string Run(string program, string directory, IEnumerable<string> args)
    {
        var start = new System.Diagnostics.ProcessStartInfo(program) { WorkingDirectory = directory, RedirectStandardOutput = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return output;
    }
}
