using System.Collections.Concurrent;
using Amazon.Runtime;
using Amazon.S3.Model;
using Arc.Tracking.Server;
using Xunit;

namespace Arc.Tracking.Tests;

/// <summary>
/// What the S3 store does beyond the contract, seen through the requests its client sends to s3rver (the S3-compatible
/// test server): the key layout, not resending content already stored, aborting a failed multipart upload; and its
/// options and copy ranges.
/// </summary>
[Collection(S3rverCollection.Name)]
public sealed class S3BlobStoreTests(S3rverFixture s3rver)
{
    const int MiB = 1024 * 1024;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A store on s3rver whose client's requests are recorded (by type) before they are sent.</summary>
    (S3BlobStore Store, ConcurrentQueue<AmazonWebServiceRequest> Sent) RecordingStore(string prefix)
    {
        var store = s3rver.CreateStore(prefix, S3BlobStoreOptions.MinPartSize);
        var sent = new ConcurrentQueue<AmazonWebServiceRequest>();
        ((AmazonServiceClient)store.Client).BeforeRequestEvent += (_, e) =>
        {
            if (e is WebServiceRequestEventArgs request) sent.Enqueue(request.Request);
        };
        return (store, sent);
    }

    [Fact]
    public async Task Blobs_are_stored_at_prefix_sha256_first_two_digits_hash_and_nothing_stays_under_incoming()
    {
        string prefix = $"layout-{Guid.NewGuid():N}/";
        using var store = s3rver.CreateStore(prefix, S3BlobStoreOptions.MinPartSize);

        var small = await store.PutAsync(new DeterministicStream(40, 1000), Ct);
        var large = await store.PutAsync(new DeterministicStream(41, 11 * MiB), Ct);

        Assert.Equal(
            new[] { $"{prefix}sha256/{small.Sha256[..2]}/{small.Sha256}", $"{prefix}sha256/{large.Sha256[..2]}/{large.Sha256}" }.Order(),
            s3rver.KeysUnder(prefix).Order());
    }

    [Fact]
    public async Task A_small_blob_already_stored_is_not_sent_again()
    {
        var (store, sent) = RecordingStore($"resend-{Guid.NewGuid():N}/");
        using var disposal = store;
        await store.PutAsync(new DeterministicStream(42, 4 * MiB), Ct);
        sent.Clear();

        await store.PutAsync(new DeterministicStream(42, 4 * MiB), Ct);

        Assert.Equal([typeof(GetObjectMetadataRequest)], sent.Select(request => request.GetType()));
    }

    [Fact]
    public async Task A_multipart_upload_whose_input_fails_is_aborted_and_its_incoming_object_never_completed()
    {
        var (store, sent) = RecordingStore($"abort-{Guid.NewGuid():N}/");
        using var disposal = store;

        await Assert.ThrowsAsync<IOException>(() => store.PutAsync(new FailingStream(43, 12 * MiB), Ct));

        var requests = sent.ToList();
        var initiated = Assert.Single(requests.OfType<InitiateMultipartUploadRequest>());
        Assert.Equal(2, requests.OfType<UploadPartRequest>().Count());
        var aborted = Assert.Single(requests.OfType<AbortMultipartUploadRequest>());
        Assert.Equal(initiated.Key, aborted.Key);
        Assert.Empty(requests.OfType<CompleteMultipartUploadRequest>());
    }

    public static TheoryData<string, S3BlobStoreOptions> BadOptions => new()
    {
        { "bucket", new S3BlobStoreOptions { Bucket = " " } },
        { "part size", new S3BlobStoreOptions { Bucket = "b-1", PartSize = S3BlobStoreOptions.MinPartSize - 1 } },
        { "must end with '/'", new S3BlobStoreOptions { Bucket = "b-1", Prefix = "arc" } },
        { "or neither", new S3BlobStoreOptions { Bucket = "b-1", AccessKeyId = "only-the-id" } },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Options_that_cannot_work_are_refused_with_what_is_wrong(string says, S3BlobStoreOptions options)
    {
        var refused = Assert.Throws<ArgumentException>(() => S3BlobStore.Create(options));

        Assert.Contains(says, refused.Message);
    }

    [Theory]
    [InlineData(5L * 1024 * 1024 * 1024 + 1)]
    [InlineData(7_000_000_000L)]
    [InlineData(5L * 1024 * 1024 * 1024 * 1024)]
    public void A_copy_above_5_GiB_is_split_into_contiguous_ranges_of_at_most_10000_parts(long size)
    {
        var ranges = S3ServerSideCopy.Ranges(size).ToList();

        Assert.InRange(ranges.Count, 2, S3MultipartUpload.MaxParts);
        Assert.Equal(Enumerable.Range(1, ranges.Count), ranges.Select(range => range.Number));
        Assert.Equal(0, ranges[0].First);
        Assert.Equal(size - 1, ranges[^1].Last);
        for (int i = 1; i < ranges.Count; i++) Assert.Equal(ranges[i - 1].Last + 1, ranges[i].First);
        Assert.All(ranges.SkipLast(1), range => Assert.InRange(range.Last - range.First + 1, S3BlobStoreOptions.MinPartSize, S3ServerSideCopy.SingleCopyLimit));
    }
}
