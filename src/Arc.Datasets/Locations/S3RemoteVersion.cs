using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Arc.Datasets;

/// <summary>
/// A version as objects <c>&lt;prefix&gt;&lt;file&gt;</c> of an S3 bucket, <c>meta.json</c> written last, every object
/// only if absent where the service honours <c>If-None-Match: *</c> (Amazon S3, MinIO).
/// </summary>
internal sealed class S3RemoteVersion(IAmazonS3 client, VersionLocation.S3 location, long partSize) : RemoteVersion
{
    /// <summary>S3's limit on the parts of one upload.</summary>
    private const int MaxParts = 10_000;

    public override string Uri => location.ToString();

    private string Key(string file) => location.Prefix + file;

    public override async Task<bool> ExistsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = location.Bucket, Key = Key(MetaJson.FileName) }, cancellationToken)
                .ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public override async Task PublishAsync(string folder, IReadOnlyList<string> files, string artifactType, Func<Exception> exists, CancellationToken cancellationToken)
    {
        // Every object is written with If-None-Match: *, so where the service honours it (Amazon S3, MinIO) a publish
        // never replaces an object another publish wrote, and every key it did write is its own to remove on failure.
        var written = new List<string>();
        try
        {
            foreach (string file in files.Where(f => f != MetaJson.FileName).Append(MetaJson.FileName))
            {
                await UploadAsync(Path.Combine(folder, file), Key(file), cancellationToken).ConfigureAwait(false);
                written.Add(Key(file));
            }
        }
        catch (Exception e)
        {
            // meta.json is written last, so it is never among these: without it nothing opens as the version, and
            // removing the rest keeps it from lingering.
            foreach (string key in written)
            {
                try { await client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = location.Bucket, Key = key }, CancellationToken.None).ConfigureAwait(false); }
                catch (AmazonServiceException) { /* the original failure is the one to report */ }
            }
            if (e is AmazonS3Exception { StatusCode: HttpStatusCode.PreconditionFailed })
            {
                if (await ExistsAsync(CancellationToken.None).ConfigureAwait(false)) throw exists();
                throw new IOException(
                    $"{Uri}: objects of another, unfinished publish of this version are in the way (one still running, or one that died); " +
                    $"once none is running, delete the objects under {Uri}/ and publish again", e);
            }
            throw;
        }
    }

    private async Task UploadAsync(string path, string key, CancellationToken cancellationToken)
    {
        long length = new FileInfo(path).Length;
        if (length <= partSize)
        {
            var request = new PutObjectRequest
            {
                BucketName = location.Bucket, Key = key, FilePath = path,
                // A plain, signed body: S3 rejects bytes damaged on the way, and every S3-compatible server understands it.
                UseChunkEncoding = false,
                IfNoneMatch = "*",
            };
            await client.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
            return;
        }
        if ((length + partSize - 1) / partSize > MaxParts)
            throw new InvalidOperationException(
                $"{path} is {length} bytes, more than {MaxParts} parts of {partSize} bytes, S3's limit for one upload; raise {nameof(VersionStorageOptions)}.{nameof(VersionStorageOptions.S3PartSize)}");
        var started = await client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = location.Bucket, Key = key }, cancellationToken)
            .ConfigureAwait(false);
        try
        {
            var parts = new List<PartETag>();
            for (long offset = 0; offset < length; offset += partSize)
            {
                var part = await client.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = location.Bucket, Key = key, UploadId = started.UploadId, PartNumber = parts.Count + 1,
                    FilePath = path, FilePosition = offset, PartSize = Math.Min(partSize, length - offset), UseChunkEncoding = false,
                }, cancellationToken).ConfigureAwait(false);
                parts.Add(new PartETag(parts.Count + 1, part.ETag));
            }
            await client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = location.Bucket, Key = key, UploadId = started.UploadId, PartETags = parts, IfNoneMatch = "*",
            }, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            try
            {
                await client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = location.Bucket, Key = key, UploadId = started.UploadId },
                    CancellationToken.None).ConfigureAwait(false);
            }
            catch (AmazonServiceException) { /* the original failure is the one to report */ }
            throw;
        }
    }

    public override async Task<byte[]?> ReadSmallAsync(string file, int maxBytes, Func<string, string, Exception> formatError, CancellationToken cancellationToken)
    {
        using var response = await GetAsync(file, cancellationToken).ConfigureAwait(false);
        if (response is null) return null;
        if (response.ContentLength > maxBytes)
            throw formatError($"{Uri}/{file}", $"is {response.ContentLength} bytes, more than the {maxBytes} such a file may have");
        var bytes = new byte[response.ContentLength];
        await ReadExactlyAsync(response.ResponseStream, bytes.Length, new MemoryStream(bytes), $"{Uri}/{file}", formatError, cancellationToken).ConfigureAwait(false);
        return bytes;
    }

    public override async Task DownloadAsync(string file, long bytes, string path, Func<string, string, Exception> formatError, CancellationToken cancellationToken)
    {
        using var response = await GetAsync(file, cancellationToken).ConfigureAwait(false)
                             ?? throw formatError($"{Uri}/{file}", "is missing; meta.json lists it");
        if (response.ContentLength != bytes)
            throw formatError($"{Uri}/{file}", $"is {response.ContentLength} bytes, but meta.json says {bytes}");
        var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        await using (target.ConfigureAwait(false))
            await ReadExactlyAsync(response.ResponseStream, bytes, target, $"{Uri}/{file}", formatError, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Copies exactly <paramref name="bytes"/> bytes, refusing a body that ends early or goes on (a server's Content-Length is not trusted).</summary>
    private static async Task ReadExactlyAsync(Stream body, long bytes, Stream target, string name, Func<string, string, Exception> formatError, CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 16];
        long left = bytes;
        try
        {
            while (left > 0)
            {
                int read = await body.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken).ConfigureAwait(false);
                if (read == 0) throw formatError(name, $"ended after {bytes - left} of its {bytes} bytes");
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                left -= read;
            }
            if (await body.ReadAsync(buffer.AsMemory(0, 1), cancellationToken).ConfigureAwait(false) != 0)
                throw formatError(name, $"is longer than the {bytes} bytes announced");
        }
        catch (AmazonClientException e)
        {
            // The SDK checks a single-part object's bytes against the MD5 in its ETag at the end of the body.
            throw formatError(name, $"arrived damaged: {e.Message} (the bytes do not match the MD5 the server announced in the object's ETag)");
        }
    }

    private async Task<GetObjectResponse?> GetAsync(string file, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetObjectAsync(new GetObjectRequest { BucketName = location.Bucket, Key = Key(file) }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public override void Dispose() => client.Dispose();
}
