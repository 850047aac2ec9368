using Amazon.Runtime;
using Arc.Tracking.Server;

namespace Arc.Tracking.Tests;

/// <summary>The tracking blob stores on an <see cref="S3rverFixture"/> (kept apart so the fixture itself needs nothing of Arc).</summary>
internal static class S3rverStores
{
    /// <summary>
    /// A store on this server made by <see cref="S3BlobStore.Create"/>, as a server would make it, with one fix for a
    /// defect of s3rver 3.7.1: it decodes the <c>x-amz-copy-source</c> header with JavaScript's <c>decodeURI</c>, which
    /// leaves the SDK's <c>%2F</c> separators encoded, so every CopyObject fails with "The specified bucket does not
    /// exist". The header is rewritten (before signing) with its separators as plain '/', a form Amazon S3 accepts as
    /// well; the blob store's keys hold only lowercase hex, '-' and '/', which need no escaping.
    /// </summary>
    internal static S3BlobStore CreateStore(this S3rverFixture fixture, string prefix, int partSize = S3BlobStoreOptions.DefaultPartSize)
    {
        var store = S3BlobStore.Create(new S3BlobStoreOptions
        {
            Bucket = S3rverFixture.Bucket, Prefix = prefix, PartSize = partSize, ServiceUrl = fixture.ServiceUrl,
            AccessKeyId = S3rverFixture.AccessKeyId, SecretAccessKey = S3rverFixture.SecretAccessKey,
        });
        ((AmazonServiceClient)store.Client).BeforeRequestEvent += (_, e) =>
        {
            if (e is WebServiceRequestEventArgs request && request.Headers.TryGetValue("x-amz-copy-source", out var source))
                request.Headers["x-amz-copy-source"] = source.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        };
        return store;
    }
}
