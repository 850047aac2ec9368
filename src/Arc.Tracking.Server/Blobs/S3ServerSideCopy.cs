using Amazon.S3;
using Amazon.S3.Model;

namespace Arc.Tracking.Server;

/// <summary>
/// Copies an object to another key inside S3 (no bytes pass through the server): one CopyObject up to S3's 5 GiB
/// limit for it, a multipart copy (UploadPartCopy by byte ranges) above.
/// </summary>
internal static class S3ServerSideCopy
{
    /// <summary>The largest object one CopyObject may copy.</summary>
    public const long SingleCopyLimit = 5L * 1024 * 1024 * 1024;

    /// <summary>The part size of a multipart copy, unless 10,000 parts need larger ones.</summary>
    public const long CopyPartSize = 512L * 1024 * 1024;

    public static async Task CopyAsync(IAmazonS3 client, string bucket, string sourceKey, string destinationKey, long size, CancellationToken cancellationToken)
    {
        if (size <= SingleCopyLimit)
        {
            await client.CopyObjectAsync(new CopyObjectRequest
            {
                SourceBucket = bucket, SourceKey = sourceKey, DestinationBucket = bucket, DestinationKey = destinationKey,
            }, cancellationToken).ConfigureAwait(false);
            return;
        }
        var started = await client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = destinationKey }, cancellationToken)
            .ConfigureAwait(false);
        try
        {
            var parts = new List<PartETag>();
            foreach (var (number, first, last) in Ranges(size))
            {
                var copied = await client.CopyPartAsync(new CopyPartRequest
                {
                    SourceBucket = bucket, SourceKey = sourceKey, DestinationBucket = bucket, DestinationKey = destinationKey,
                    UploadId = started.UploadId, PartNumber = number, FirstByte = first, LastByte = last,
                }, cancellationToken).ConfigureAwait(false);
                parts.Add(new PartETag(number, copied.ETag));
            }
            await client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = bucket, Key = destinationKey, UploadId = started.UploadId, PartETags = parts,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            try
            {
                await client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = destinationKey, UploadId = started.UploadId },
                    CancellationToken.None).ConfigureAwait(false);
            }
            catch (AmazonS3Exception)
            {
                // The copy's own failure is the one to report.
            }
            throw;
        }
    }

    /// <summary>The parts of a multipart copy of <paramref name="size"/> bytes: number, first and last byte (inclusive).</summary>
    public static IEnumerable<(int Number, long First, long Last)> Ranges(long size)
    {
        long partSize = Math.Max(CopyPartSize, (size + S3MultipartUpload.MaxParts - 1) / S3MultipartUpload.MaxParts);
        int number = 1;
        for (long first = 0; first < size; first += partSize, number++)
            yield return (number, first, Math.Min(first + partSize, size) - 1);
    }
}
