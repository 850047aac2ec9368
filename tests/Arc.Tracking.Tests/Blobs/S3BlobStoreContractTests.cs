using Arc.Tracking.Server;
using Xunit;

namespace Arc.Tracking.Tests;

/// <summary>
/// The blob store contract against <see cref="S3BlobStore"/> talking to s3rver, the S3-compatible test server, with
/// the smallest part size S3 allows (5 MiB) so that multipart uploads start at small sizes. Each test has its own key
/// prefix in the shared bucket.
/// </summary>
[Collection(S3rverCollection.Name)]
public sealed class S3BlobStoreContractTests : BlobStoreContractTests, IDisposable
{
    readonly S3rverFixture _s3rver;
    readonly S3BlobStore _store;
    readonly string _prefix = $"contract-{Guid.NewGuid():N}/";

    public S3BlobStoreContractTests(S3rverFixture s3rver)
    {
        _s3rver = s3rver;
        _store = s3rver.CreateStore(_prefix, S3BlobStoreOptions.MinPartSize);
    }

    private protected override IBlobStore Store => _store;

    private protected override string StoredFilePath(string sha256) => _s3rver.ObjectPath(_store.KeyOf(sha256));

    // s3rver implements neither ListMultipartUploads nor AbortMultipartUpload, so parts of an aborted upload cannot be
    // seen through the API; S3BlobStoreTests checks that the abort is sent. Here: no incoming object is left.
    private protected override IReadOnlyList<string> Leftovers() => _s3rver.KeysUnder(_prefix + "incoming/");

    public void Dispose() => _store.Dispose();
}
