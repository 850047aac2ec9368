namespace Arc.Tracking.Server;

/// <summary>Where and how <see cref="S3BlobStore"/> keeps blobs: a bucket, a key prefix and the upload part size.</summary>
public sealed record S3BlobStoreOptions
{
    /// <summary>The smallest part S3 accepts (except the last of an upload).</summary>
    public const int MinPartSize = 5 * 1024 * 1024;

    /// <summary>The default part size: large enough that a 1 GiB checkpoint is 64 requests, small enough that the two parts in memory stay at 32 MiB.</summary>
    public const int DefaultPartSize = 16 * 1024 * 1024;

    /// <summary>The bucket (it must exist).</summary>
    public required string Bucket { get; init; }

    /// <summary>Prepended to every key, e.g. <c>arc/</c>; empty for the bucket's root.</summary>
    public string Prefix { get; init; } = "";

    /// <summary>
    /// Bytes per multipart part; blobs smaller than one part are stored with a single PUT. Two parts are held in memory
    /// during an upload (one uploading, one filling). S3 allows 10,000 parts, so the largest blob is 10,000 × this.
    /// </summary>
    public int PartSize { get; init; } = DefaultPartSize;

    /// <summary>An S3-compatible endpoint such as <c>http://127.0.0.1:9000</c>; null for Amazon S3 itself.</summary>
    public Uri? ServiceUrl { get; init; }

    /// <summary>The region (signing region for an S3-compatible endpoint).</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>The access key id; null (with <see cref="SecretAccessKey"/>) for the SDK's default credential chain.</summary>
    public string? AccessKeyId { get; init; }

    /// <summary>The secret access key.</summary>
    public string? SecretAccessKey { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> when the options cannot work.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Bucket)) throw new ArgumentException("an S3 blob store needs a bucket name", nameof(Bucket));
        if (PartSize < MinPartSize)
            throw new ArgumentException($"the part size {PartSize} is below S3's minimum of {MinPartSize} bytes", nameof(PartSize));
        if (Prefix.Length > 0 && !Prefix.EndsWith('/'))
            throw new ArgumentException($"the key prefix \"{Prefix}\" must end with '/' (or be empty)", nameof(Prefix));
        if ((AccessKeyId is null) != (SecretAccessKey is null))
            throw new ArgumentException("give both the access key id and the secret access key, or neither (the SDK's default credentials)", nameof(AccessKeyId));
    }
}
