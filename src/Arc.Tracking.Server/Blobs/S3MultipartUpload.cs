using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;

namespace Arc.Tracking.Server;

/// <summary>
/// Sends a caller's bytes to one S3 object while hashing them, holding at most two parts in memory: one is sent while
/// the next is filled, so reading the input and the network overlap.
/// </summary>
internal sealed class S3MultipartUpload(IAmazonS3 client, string bucket, int partSize)
{
    /// <summary>S3's limit on the parts of one upload.</summary>
    public const int MaxParts = 10_000;

    /// <summary>Reads until <paramref name="buffer"/> is full or the input ends; returns how much was read.</summary>
    public static async Task<int> FillAsync(Stream content, Memory<byte> buffer, CancellationToken cancellationToken)
        => await content.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);

    /// <summary>Stores <paramref name="bytes"/> (one part or less) as <paramref name="key"/> with a single PUT.</summary>
    public async Task PutSmallAsync(string key, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        using var body = AsStream(bytes);
        await client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket, Key = key, InputStream = body, AutoCloseStream = false,
            // A plain, signed body: aws-chunked encoding is not understood by every S3-compatible server, and a
            // known-length, seekable body lets the SDK sign its SHA-256, so S3 rejects bytes damaged on the way.
            UseChunkEncoding = false,
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends <paramref name="first"/> (a full part already read, <paramref name="firstLength"/> bytes) and the rest of
    /// <paramref name="content"/> as a multipart upload to <paramref name="key"/>, hashing every byte into
    /// <paramref name="hash"/>; returns the total size. On any failure the upload is aborted (S3 keeps no parts).
    /// </summary>
    public async Task<long> UploadAsync(string key, byte[] first, int firstLength, Stream content, IncrementalHash hash, CancellationToken cancellationToken)
    {
        var started = await client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = key }, cancellationToken)
            .ConfigureAwait(false);
        string uploadId = started.UploadId;
        Task<PartETag>? inFlight = null;
        try
        {
            var parts = new List<PartETag>();
            byte[] filling = first, spare = GC.AllocateUninitializedArray<byte>(partSize);
            int filled = firstLength;
            long size = 0;
            // Each turn: hash the part just filled, wait for the previous part (freeing its buffer), send this one,
            // and fill the freed buffer while it travels. A short part is the last; an empty fill means the input ended
            // exactly at a part boundary.
            while (filled > 0)
            {
                hash.AppendData(filling, 0, filled);
                size += filled;
                if (inFlight is not null) parts.Add(await inFlight.ConfigureAwait(false));
                if (parts.Count == MaxParts)
                    throw new InvalidOperationException(
                        $"the blob is larger than {MaxParts} parts of {partSize} bytes, S3's limit for one upload; raise {nameof(S3BlobStoreOptions.PartSize)}");
                inFlight = SendPartAsync(key, uploadId, parts.Count + 1, filling, filled, cancellationToken);
                if (filled < partSize) break;
                (filling, spare) = (spare, filling);
                filled = await FillAsync(content, filling, cancellationToken).ConfigureAwait(false);
            }
            parts.Add(await inFlight!.ConfigureAwait(false));
            inFlight = null;
            await client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = bucket, Key = key, UploadId = uploadId, PartETags = parts,
            }, cancellationToken).ConfigureAwait(false);
            return size;
        }
        catch
        {
            if (inFlight is not null)
            {
                // Let the part in flight end before aborting, so it cannot land after the abort.
                try { await inFlight.ConfigureAwait(false); } catch (Exception) { /* reported by the original failure */ }
            }
            await AbortAsync(key, uploadId).ConfigureAwait(false);
            throw;
        }
    }

    async Task AbortAsync(string key, string uploadId)
    {
        try
        {
            // Not cancellable: a cancelled upload must still release the parts S3 holds for it.
            await client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = uploadId }, CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (AmazonS3Exception)
        {
            // The original failure is the one to report; an upload left behind is removed by the bucket's
            // AbortIncompleteMultipartUpload lifecycle rule (docs/tracking-blobs.md).
        }
    }

    async Task<PartETag> SendPartAsync(string key, string uploadId, int number, byte[] buffer, int length, CancellationToken cancellationToken)
    {
        using var body = AsStream(buffer.AsMemory(0, length));
        var response = await client.UploadPartAsync(new UploadPartRequest
        {
            BucketName = bucket, Key = key, UploadId = uploadId, PartNumber = number, InputStream = body, PartSize = length,
            UseChunkEncoding = false,
        }, cancellationToken).ConfigureAwait(false);
        return new PartETag(number, response.ETag);
    }

    static MemoryStream AsStream(ReadOnlyMemory<byte> bytes)
        => System.Runtime.InteropServices.MemoryMarshal.TryGetArray(bytes, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(bytes.ToArray(), writable: false);
}
