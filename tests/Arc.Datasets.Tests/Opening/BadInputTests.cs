using System.Buffers.Binary;
using System.Text;
using Arc.Datasets.Tests.Support;
using Arc.Sdk;
using Arc.Types;
using Microsoft.Extensions.Logging;

namespace Arc.Datasets.Tests.Opening;

/// <summary>
/// A damaged or foreign version is refused with an error that names the file and what is wrong with it: a truncated
/// or corrupt .npy, a file that changed after publishing, a meta.json of an unknown format version or edited, a
/// missing split file. Opening changes nothing, so the version can be repaired and opened again.
/// </summary>
public sealed class BadInputTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DatasetOpenOptions Unverified = new() { SkipHashVerification = true, Logger = new ListLogger() };

    private static async Task<string> PublishAsync(Scratch scratch)
        => (await new DatasetBuilder<ImageData, ClassData>("shapes")
            .AddSplit(DataSplit.Train, SampleData.Images(20))
            .AddSplit(DataSplit.Test, SampleData.Images(6, first: 20))
            .PublishAsync(scratch.Path, "v1", Ct)).Path;

    private static Task<DatasetVersion<ImageData, ClassData>> OpenAsync(string folder, DatasetOpenOptions? options = null)
        => DatasetVersion.OpenAsync<ImageData, ClassData>(folder, options, Ct);

    private static async Task<T> RefusedAsync<T>(string folder, string file, string problem, DatasetOpenOptions? options = null) where T : DatasetFormatException
    {
        var error = await Assert.ThrowsAsync<T>(() => OpenAsync(folder, options));
        Assert.Equal(Path.Combine(folder, file), error.File);
        Assert.StartsWith(Path.Combine(folder, file) + ": ", error.Message);
        Assert.True(error.Message.Contains(problem, StringComparison.Ordinal), $"the message does not say '{problem}':\n{error.Message}");
        return error;
    }

    [Fact]
    public async Task A_truncated_npy_is_named_whether_or_not_hashes_are_verified()
    {
        using var scratch = new Scratch();
        string folder = await PublishAsync(scratch);
        string file = Path.Combine(folder, "X_train.npy");
        long length = new FileInfo(file).Length;
        using (var stream = new FileStream(file, FileMode.Open)) stream.SetLength(length - 5);

        await RefusedAsync<DatasetFormatException>(folder, "X_train.npy", $"is {length - 5} bytes, but meta.json recorded {length}: it was truncated after publishing");
        await RefusedAsync<DatasetFormatException>(folder, "X_train.npy", $"is {length - 5} bytes, but meta.json recorded {length}", Unverified);

        // On its own, without a meta.json to compare with, the file's header tells.
        var error = Assert.Throws<DatasetFormatException>(() => Npy.Read(file));
        Assert.Equal(file, error.File);
        Assert.Contains("is truncated: its header describes (20, 1, 2, 3) of <f4, 480 bytes of data, but the file holds 475 after its 128-byte header", error.Message);
        using (var stream = new FileStream(file, FileMode.Open)) stream.SetLength(30);
        Assert.Contains("is truncated: its header needs 128 bytes but the file has 30", Assert.Throws<DatasetFormatException>(() => Npy.Read(file)).Message);
    }

    [Fact]
    public async Task A_corrupt_npy_is_a_hash_mismatch_and_without_verification_a_format_error()
    {
        using var scratch = new Scratch();
        string folder = await PublishAsync(scratch);
        string file = Path.Combine(folder, "y_test.npy");
        var bytes = await File.ReadAllBytesAsync(file, Ct);
        bytes[0] = (byte)'P'; // the magic
        await File.WriteAllBytesAsync(file, bytes, Ct);

        await RefusedAsync<DatasetHashMismatchException>(folder, "y_test.npy", "has SHA-256");
        await RefusedAsync<DatasetFormatException>(folder, "y_test.npy", "is not a .npy file (it does not start with \\x93NUMPY)", Unverified);

        bytes[0] = 0x93;
        bytes[20] = (byte)'#'; // inside the header dict
        await File.WriteAllBytesAsync(file, bytes, Ct);
        await RefusedAsync<DatasetFormatException>(folder, "y_test.npy", "has a header that is not a Python literal", Unverified);
    }

    [Fact]
    public async Task A_changed_value_is_a_hash_mismatch_and_without_verification_an_error_when_its_rows_are_read()
    {
        using var scratch = new Scratch();
        string folder = await PublishAsync(scratch);
        string file = Path.Combine(folder, "y_train.npy");
        var bytes = await File.ReadAllBytesAsync(file, Ct);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(bytes.Length - 8), 99); // the last sample's class
        await File.WriteAllBytesAsync(file, bytes, Ct);

        await RefusedAsync<DatasetHashMismatchException>(folder, "y_train.npy", "the file changed after publishing");

        using var version = await OpenAsync(folder, Unverified);
        var error = await Assert.ThrowsAsync<DatasetFormatException>(async () =>
        {
            await foreach (var _ in version.StreamAsync(8, DataSplit.Train, cancellationToken: Ct)) { }
        });
        Assert.Equal(file, error.File);
        Assert.Contains("rows 16..19 are not valid ClassData: class index 99 is outside 0..2", error.Message);
    }

    [Fact]
    public async Task An_unknown_meta_json_format_version_is_refused_before_anything_else()
    {
        using var scratch = new Scratch();
        string folder = await PublishAsync(scratch);
        await EditMetaAsync(folder, "\"format_version\": 1,", "\"format_version\": 2,");
        await RefusedAsync<DatasetFormatException>(folder, "meta.json", "is meta.json format version 2, newer than this Arc reads (1): update Arc to open it");

        await EditMetaAsync(folder, "\"format_version\": 2,", "");
        await RefusedAsync<DatasetFormatException>(folder, "meta.json", "has no format_version; it is not the meta.json of an Arc dataset version");

        await File.WriteAllTextAsync(Path.Combine(folder, "meta.json"), "{ not json", Ct);
        await RefusedAsync<DatasetFormatException>(folder, "meta.json", "is not JSON");

        File.Delete(Path.Combine(folder, "meta.json"));
        await RefusedAsync<DatasetFormatException>(folder, "meta.json", "is missing: every published dataset version has one");
    }

    [Fact]
    public async Task A_missing_split_file_or_an_extra_file_is_named()
    {
        using var scratch = new Scratch();
        string folder = await PublishAsync(scratch);
        File.Move(Path.Combine(folder, "y_test.npy"), Path.Combine(folder, "y_test.npy.bak"));

        await RefusedAsync<DatasetFormatException>(folder, "y_test.npy", "is missing; meta.json lists it (", Unverified);

        File.Move(Path.Combine(folder, "y_test.npy.bak"), Path.Combine(folder, "y_test.npy"));
        await File.WriteAllTextAsync(Path.Combine(folder, "notes.txt"), "added later", Ct);
        await RefusedAsync<DatasetFormatException>(folder, "notes.txt", "is not one of the files meta.json lists");

        File.Delete(Path.Combine(folder, "notes.txt"));
        using var version = await OpenAsync(folder);
        var error = await Assert.ThrowsAsync<NotSupportedException>(() => version.SampleAsync(1, DataSplit.Validation, cancellationToken: Ct).AsTask());
        Assert.Contains("dataset shapes:v1 has no Validation split; it has Train, Test", error.Message);
    }

    [Fact]
    public async Task An_edited_meta_json_is_a_hash_mismatch_that_names_it()
    {
        using var scratch = new Scratch();
        string folder = await PublishAsync(scratch);
        await EditMetaAsync(folder, "\"dog\"", "\"wolf\""); // a class renamed: the content member changed
        await RefusedAsync<DatasetHashMismatchException>(folder, "meta.json", "meta.json was changed after publishing");

        await EditMetaAsync(folder, "\"wolf\"", "\"dog\"");
        using (await OpenAsync(folder)) { } // repaired: opens again

        var meta = await File.ReadAllTextAsync(Path.Combine(folder, "meta.json"), Ct);
        var value = System.Text.RegularExpressions.Regex.Match(meta, "\"value\": \"([0-9a-f]{64})\"").Groups[1].Value;
        await EditMetaAsync(folder, value, new string('0', 64));
        await RefusedAsync<DatasetHashMismatchException>(folder, "meta.json", $"hash.value is {new string('0', 64)}, but the files and the content member hash to {value}");
    }

    [Fact]
    public async Task A_forged_file_name_or_other_types_are_refused()
    {
        using var scratch = new Scratch();
        string folder = await PublishAsync(scratch);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => DatasetVersion.OpenAsync<TextData, ClassData>(folder, cancellationToken: Ct));
        Assert.Contains("holds image → class data; it cannot be opened as text → class", error.Message);

        await EditMetaAsync(folder, "\"file\":\"X_train.npy\"", "\"file\":\"../../../etc/passwd\"");
        await RefusedAsync<DatasetFormatException>(folder, "meta.json", "content.splits.train.x.file is '../../../etc/passwd'; the inputs of this split are X_train.npy", Unverified);
    }

    [Fact]
    public async Task Skipping_verification_warns_every_time_and_still_checks_sizes_and_headers()
    {
        using var scratch = new Scratch();
        string folder = await PublishAsync(scratch);
        var logger = new ListLogger();
        using (await OpenAsync(folder, new DatasetOpenOptions { SkipHashVerification = true, Logger = logger })) { }
        using (await OpenAsync(folder, new DatasetOpenOptions { SkipHashVerification = true, Logger = logger })) { }
        using (await OpenAsync(folder, new DatasetOpenOptions { Logger = logger })) { }

        Assert.Equal(2, logger.Entries.Count);
        Assert.All(logger.Entries, e => Assert.Equal(LogLevel.Warning, e.Level));
        Assert.Contains($"dataset shapes:v1 at {folder} is opened WITHOUT verifying its content hash", logger.Entries[0].Message);
    }

    private static async Task EditMetaAsync(string folder, string from, string to)
    {
        string path = Path.Combine(folder, "meta.json");
        string text = await File.ReadAllTextAsync(path, Ct);
        Assert.Contains(from, text);
        await File.WriteAllTextAsync(path, text.Replace(from, to, StringComparison.Ordinal), new UTF8Encoding(false), Ct);
    }
}
