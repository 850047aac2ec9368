using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Arc.Tracking.Server;

/// <summary>
/// Blobs in an S3 bucket (Amazon S3 or an S3-compatible service) at <c>&lt;prefix&gt;sha256/&lt;first two hex
/// digits&gt;/&lt;hex&gt;</c>. A blob smaller than one part is read into memory, hashed and sent with one PUT to its
/// address. A larger one cannot be addressed before its last byte is hashed, so it is streamed as a multipart upload
/// to <c>&lt;prefix&gt;incoming/&lt;random&gt;</c>, then copied inside S3 to its address and the incoming object
/// deleted. Reads hash what they stream and throw <see cref="BlobCorruptedException"/> at the end on a mismatch.
/// </summary>
public sealed class S3BlobStore : IBlobStore, IDisposable
{
    readonly IAmazonS3 _client;
    readonly bool _ownsClient;
    readonly S3BlobStoreOptions _options;
    readonly S3MultipartUpload _upload;
    readonly string _name;

    /// <summary>A store that uses <paramref name="client"/> (not disposed with the store).</summary>
    public S3BlobStore(IAmazonS3 client, S3BlobStoreOptions options)
        : this(client, options, ownsClient: false)
    {
    }

    S3BlobStore(IAmazonS3 client, S3BlobStoreOptions options, bool ownsClient)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _client = client;
        _ownsClient = ownsClient;
        _options = options;
        _upload = new S3MultipartUpload(client, options.Bucket, options.PartSize);
        _name = $"the S3 blob store s3://{options.Bucket}/{options.Prefix}";
    }

    /// <summary>The S3 client the store uses.</summary>
    internal IAmazonS3 Client => _client;

    /// <summary>A store with its own S3 client made from <paramref name="options"/> (disposed with the store).</summary>
    public static S3BlobStore Create(S3BlobStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var config = new AmazonS3Config
        {
            // The store verifies SHA-256 itself on every read, and signed payloads protect every upload; the SDK's
            // extra CRC checksums need aws-chunked trailers that S3-compatible servers do not all understand.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (options.ServiceUrl is { } url)
        {
            config.ServiceURL = url.ToString();
            config.AuthenticationRegion = options.Region;
            config.ForcePathStyle = true; // S3-compatible servers rarely have a DNS name per bucket
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.Region);
        }
        var client = options.AccessKeyId is { } keyId
            ? new AmazonS3Client(new BasicAWSCredentials(keyId, options.SecretAccessKey), config)
            : new AmazonS3Client(config);
        return new S3BlobStore(client, options, ownsClient: true);
    }

    /// <summary>The object key of blob <paramref name="sha256"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="sha256"/> is not 64 lowercase hex digits.</exception>
    public string KeyOf(string sha256)
    {
        BlobHash.Validate(sha256);
        return $"{_options.Prefix}sha256/{sha256[..2]}/{sha256}";
    }

    /// <inheritdoc />
    /// <remarks>
    /// A blob already stored at its address with the same size is not written again (a small one is not even sent; a
    /// large one was sent before its address was known, and its incoming copy is deleted).
    /// </remarks>
    public async Task<BlobRef> PutAsync(Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var hash = BlobHash.Create();
        var first = GC.AllocateUninitializedArray<byte>(_options.PartSize);
        int firstLength = await S3MultipartUpload.FillAsync(content, first, cancellationToken).ConfigureAwait(false);
        if (firstLength < _options.PartSize)
        {
            hash.AppendData(first, 0, firstLength);
            var small = new BlobRef(BlobHash.ToHex(hash.GetHashAndReset()), firstLength);
            if (await StoredSizeAsync(KeyOf(small.Sha256), cancellationToken).ConfigureAwait(false) != small.Size)
                await _upload.PutSmallAsync(KeyOf(small.Sha256), first.AsMemory(0, firstLength), cancellationToken).ConfigureAwait(false);
            return small;
        }

        string incoming = $"{_options.Prefix}incoming/{Guid.NewGuid():N}";
        long size = await _upload.UploadAsync(incoming, first, firstLength, content, hash, cancellationToken).ConfigureAwait(false);
        first = null!; // the upload is done with it; let a long copy not keep 16 MiB alive
        var blob = new BlobRef(BlobHash.ToHex(hash.GetHashAndReset()), size);
        try
        {
            string key = KeyOf(blob.Sha256);
            if (await StoredSizeAsync(key, cancellationToken).ConfigureAwait(false) != blob.Size)
                await S3ServerSideCopy.CopyAsync(_client, _options.Bucket, incoming, key, blob.Size, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Not cancellable: the incoming object is garbage either way.
            await _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _options.Bucket, Key = incoming }, CancellationToken.None)
                .ConfigureAwait(false);
        }
        return blob;
    }

    /// <inheritdoc />
    public async Task<Stream> OpenReadAsync(string sha256, CancellationToken cancellationToken = default)
    {
        string key = KeyOf(sha256);
        GetObjectResponse response;
        try
        {
            response = await _client.GetObjectAsync(new GetObjectRequest { BucketName = _options.Bucket, Key = key }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new BlobNotFoundException(_name, sha256);
        }
        return new VerifyingReadStream(response.ResponseStream, response, _name, sha256, response.ContentLength,
            isEndCheckFailure: e => e is AmazonClientException);
    }

    /// <inheritdoc />
    public async Task<bool> ExistsAsync(string sha256, CancellationToken cancellationToken = default)
        => await StoredSizeAsync(KeyOf(sha256), cancellationToken).ConfigureAwait(false) is not null;

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string sha256, CancellationToken cancellationToken = default)
    {
        string key = KeyOf(sha256);
        // S3's DELETE succeeds whether or not the key existed; the HEAD before it tells which.
        if (await StoredSizeAsync(key, cancellationToken).ConfigureAwait(false) is null) return false;
        await _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _options.Bucket, Key = key }, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>The size of the object at <paramref name="key"/>, or null when there is none.</summary>
    async Task<long?> StoredSizeAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var metadata = await _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _options.Bucket, Key = key }, cancellationToken)
                .ConfigureAwait(false);
            return metadata.ContentLength;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Disposes the S3 client when the store made it (<see cref="Create"/>).</summary>
    public void Dispose()
    {
        if (_ownsClient) _client.Dispose();
    }
}
