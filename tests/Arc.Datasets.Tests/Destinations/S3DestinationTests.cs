using System.Text;
using System.Text.Json.Nodes;
using Arc.Datasets.Tests.Support;
using Arc.Sdk;
using Arc.Tracking.Tests;
using Arc.Types;

namespace Arc.Datasets.Tests.Destinations;

/// <summary>
/// Publishing to and opening from <c>s3://bucket/prefix</c> against s3rver, a real S3-compatible server on 127.0.0.1:
/// the objects are the folder's files, meta.json is what makes a version, the same checks run on opening, and damaged or
/// hostile objects are refused by name with nothing left behind locally and nothing lost remotely.
/// </summary>
[Collection(RemoteDestinationsCollection.Name)]
public sealed class S3DestinationTests(S3rverFixture s3)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly string _prefix = $"datasets-{Guid.NewGuid():N}";

    private string Destination => $"s3://{S3rverFixture.Bucket}/{_prefix}";

    private VersionStorageOptions Storage => new()
    {
        S3ServiceUrl = s3.ServiceUrl, S3AccessKeyId = S3rverFixture.AccessKeyId, S3SecretAccessKey = S3rverFixture.SecretAccessKey,
    };

    private DatasetBuilder<ImageData, ClassData> Shapes() => new DatasetBuilder<ImageData, ClassData>("shapes")
        .AddSplit(DataSplit.Train, SampleData.Images(12))
        .AddSplit(DataSplit.Test, SampleData.Images(5, first: 50))
        .AddTags("image")
        .WithStorage(Storage);

    private DatasetOpenOptions OpenOptions => new() { Storage = Storage };

    [Fact]
    public async Task A_version_published_to_S3_is_its_files_as_objects_and_opens_with_the_same_data_and_hash()
    {
        var transfersBefore = TransferFolders.Held();
        var published = await Shapes().PublishAsync(Destination, "v1", Ct);

        Assert.Equal($"{Destination}/shapes/v1", published.Path);
        Assert.Equal(
            new[] { "X_test.npy", "X_train.npy", "meta.json", "y_test.npy", "y_train.npy" }.Select(f => $"{_prefix}/shapes/v1/{f}"),
            s3.KeysUnder(_prefix + "/").Order(StringComparer.Ordinal));
        Assert.Equal(transfersBefore, TransferFolders.Held()); // the staging folder is gone

        // The same inputs published to a folder give the same content hash: the objects are the folder's files.
        using var scratch = new Scratch();
        var local = await Shapes().PublishAsync(scratch.Path, "v1", Ct);
        Assert.Equal(local.Metadata.Hash, published.Metadata.Hash);

        string downloaded;
        using (var version = await DatasetVersion.OpenAsync<ImageData, ClassData>(published.Path, OpenOptions, Ct))
        {
            Assert.Equal(published.Path, version.Location);
            Assert.Equal(published.Metadata.Hash, version.Metadata.Hash);
            downloaded = version.Folder;
            Assert.True(Directory.Exists(downloaded));
            var train = await SampleData.ReadAllAsync(version, DataSplit.Train);
            Assert.Equal(Enumerable.Range(0, 12), SampleData.Ids(train.Inputs));
            Assert.True(SampleData.Images(12).Targets.ContentEquals(train.Targets), "train classes");
            var test = await SampleData.ReadAllAsync(version, DataSplit.Test);
            Assert.Equal(Enumerable.Range(50, 5), SampleData.Ids(test.Inputs));
        }
        Assert.False(Directory.Exists(downloaded), "disposing a version opened from S3 removes its download folder");

        var meta = await DatasetVersion.ReadMetadataAsync(published.Path, Storage, Ct);
        Assert.Equal(("shapes", "v1", published.Metadata.Hash), (meta.Name, meta.Version, meta.Hash));
    }

    [Fact]
    public async Task A_file_larger_than_a_part_goes_up_in_parts_and_comes_back_whole()
    {
        using var scratch = new Scratch();
        var bytes = new byte[11 << 20];
        new Random(7).NextBytes(bytes);
        await File.WriteAllBytesAsync(scratch["big.bin"], bytes, Ct);
        var storage = Storage with { S3PartSize = VersionStorageOptions.MinS3PartSize };

        var published = await Shapes().WithStorage(storage).WithRaw(scratch["big.bin"]).PublishAsync(Destination, "v1", Ct);

        string key = Assert.Single(s3.KeysUnder(_prefix + "/"), k => k.Contains("/raw/", StringComparison.Ordinal));
        using (var client = S3Clients.Create(storage))
        {
            var head = await client.GetObjectMetadataAsync(S3rverFixture.Bucket, key, Ct);
            Assert.Equal(bytes.Length, head.ContentLength);
        }
        // Three parts (5 + 5 + 1 MiB), as s3rver's request log shows (it stores a multipart object's ETag as a plain MD5).
        Assert.Matches($"{System.Text.RegularExpressions.Regex.Escape(key)}\\?partNumber=3&uploadId=\\w+ 200 ", s3.Logged());
        Assert.DoesNotMatch($"{System.Text.RegularExpressions.Regex.Escape(key)}\\?partNumber=4&", s3.Logged());
        using var version = await DatasetVersion.OpenAsync<ImageData, ClassData>(published.Path, new DatasetOpenOptions { Storage = storage }, Ct);
        string local = Path.Combine(version.Folder, key[$"{_prefix}/shapes/v1/".Length..]);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(local, Ct));
        Assert.Throws<ArgumentException>(() => S3Clients.Resolve(Storage with { S3PartSize = VersionStorageOptions.MinS3PartSize - 1 }, _ => null));
    }

    [Fact]
    public async Task A_published_version_is_not_published_again()
    {
        await Shapes().PublishAsync(Destination, "v1", Ct);
        var keys = s3.KeysUnder(_prefix + "/");
        var meta = await File.ReadAllBytesAsync(s3.ObjectPath($"{_prefix}/shapes/v1/meta.json"), Ct);

        var again = new DatasetBuilder<ImageData, ClassData>("shapes").AddSplit(DataSplit.Train, SampleData.Images(3, first: 7)).WithStorage(Storage);
        var error = await Assert.ThrowsAsync<DatasetVersionExistsException>(() => again.PublishAsync(Destination, "v1", Ct));
        Assert.Equal($"{Destination}/shapes/v1", error.Path);
        Assert.Equal(keys, s3.KeysUnder(_prefix + "/"));
        Assert.Equal(meta, await File.ReadAllBytesAsync(s3.ObjectPath($"{_prefix}/shapes/v1/meta.json"), Ct));
    }

    [Fact]
    public async Task A_changed_object_is_refused_by_its_S3_name_and_stays_in_the_bucket()
    {
        var published = await Shapes().PublishAsync(Destination, "v1", Ct);
        string key = $"{_prefix}/shapes/v1/X_train.npy";
        var bytes = await File.ReadAllBytesAsync(s3.ObjectPath(key), Ct);
        bytes[^1] ^= 0x40; // same size, other content, overwritten through S3 itself: only meta.json's hash can tell
        await PutAsync(key, bytes);
        var transfersBefore = TransferFolders.Held();

        var error = await Assert.ThrowsAsync<DatasetHashMismatchException>(() => DatasetVersion.OpenAsync<ImageData, ClassData>(published.Path, OpenOptions, Ct));
        Assert.Equal($"{published.Path}/X_train.npy", error.File);
        Assert.Contains("changed after publishing", error.Message);
        Assert.Equal(transfersBefore, TransferFolders.Held());
        Assert.Contains($"{_prefix}/shapes/v1/X_train.npy", s3.KeysUnder(_prefix + "/"));
    }

    [Fact]
    public async Task A_hostile_meta_json_cannot_write_outside_the_download_folder()
    {
        var published = await Shapes().PublishAsync(Destination, "v1", Ct);
        string metaKey = $"{_prefix}/shapes/v1/meta.json";
        var meta = JsonNode.Parse(await File.ReadAllTextAsync(s3.ObjectPath(metaKey), Ct))!;
        var files = meta["files"]!.AsArray();
        files[0]!["path"] = "../../escaped.npy";
        await PutAsync(metaKey, Encoding.UTF8.GetBytes(meta.ToJsonString()));
        var transfersBefore = TransferFolders.Held();

        var error = await Assert.ThrowsAsync<DatasetFormatException>(() => DatasetVersion.OpenAsync<ImageData, ClassData>(published.Path, OpenOptions, Ct));
        Assert.Equal($"{published.Path}/meta.json", error.File);
        Assert.Contains("'../../escaped.npy'", error.Message);
        Assert.Equal(transfersBefore, TransferFolders.Held());
        Assert.False(File.Exists(Path.Combine(Path.GetTempPath(), "escaped.npy")));
    }

    [Fact]
    public async Task An_object_that_is_not_the_size_meta_json_says_is_refused_before_it_is_hashed()
    {
        var published = await Shapes().PublishAsync(Destination, "v1", Ct);
        string key = $"{_prefix}/shapes/v1/y_train.npy";
        var bytes = await File.ReadAllBytesAsync(s3.ObjectPath(key), Ct);
        await PutAsync(key, bytes.Concat(Encoding.ASCII.GetBytes("trailing garbage")).ToArray());

        var error = await Assert.ThrowsAsync<DatasetFormatException>(() => DatasetVersion.OpenAsync<ImageData, ClassData>(published.Path, OpenOptions, Ct));
        Assert.Equal($"{published.Path}/y_train.npy", error.File);
        Assert.Contains($"but meta.json says {bytes.Length}", error.Message);
    }

    [Fact]
    public async Task Bytes_damaged_behind_the_servers_back_are_refused_by_name()
    {
        var published = await Shapes().PublishAsync(Destination, "v1", Ct);
        string path = s3.ObjectPath($"{_prefix}/shapes/v1/X_test.npy");
        var bytes = await File.ReadAllBytesAsync(path, Ct);
        bytes[^1] ^= 0x02; // the server still announces the old ETag (the MD5 of the bytes it was sent)
        await File.WriteAllBytesAsync(path, bytes, Ct);
        var transfersBefore = TransferFolders.Held();

        var error = await Assert.ThrowsAsync<DatasetFormatException>(() => DatasetVersion.OpenAsync<ImageData, ClassData>(published.Path, OpenOptions, Ct));
        Assert.Equal($"{published.Path}/X_test.npy", error.File);
        Assert.Contains("arrived damaged", error.Message);
        Assert.Equal(transfersBefore, TransferFolders.Held());
    }

    /// <summary>Overwrites an object through the S3 API, as another writer of the bucket would.</summary>
    private async Task PutAsync(string key, byte[] bytes)
    {
        using var client = S3Clients.Create(Storage);
        using var body = new MemoryStream(bytes);
        await client.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest
        {
            BucketName = S3rverFixture.Bucket, Key = key, InputStream = body, UseChunkEncoding = false,
        }, Ct);
    }

    [Fact]
    public async Task A_version_that_is_not_there_and_bad_locations_say_so()
    {
        var missing = await Assert.ThrowsAsync<DirectoryNotFoundException>(
            () => DatasetVersion.OpenAsync<ImageData, ClassData>($"{Destination}/shapes/v9", OpenOptions, Ct));
        Assert.Contains($"{Destination}/shapes/v9", missing.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => Shapes().PublishAsync("s3://No_Such_Bucket/x", "v1", Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => DatasetVersion.OpenAsync<ImageData, ClassData>($"s3://{S3rverFixture.Bucket}", OpenOptions, Ct));
        var other = await Assert.ThrowsAsync<NotSupportedException>(() => Shapes().PublishAsync("ftp://127.0.0.1/datasets", "v1", Ct));
        Assert.Contains("s3://bucket/prefix", other.Message);
        Assert.Empty(s3.KeysUnder(_prefix + "/"));
    }
}
