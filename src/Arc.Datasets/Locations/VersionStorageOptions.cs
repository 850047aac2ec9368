using Arc.Artifacts;

namespace Arc.Datasets;

/// <summary>
/// How dataset and model versions reach remote destinations (<c>s3://</c>, <c>oci://</c>; docs/datasets.md,
/// "Destinations"). Every member is optional: null takes the value from the documented place.
/// </summary>
public sealed record VersionStorageOptions
{
    /// <summary>
    /// An S3-compatible endpoint such as <c>http://127.0.0.1:9000</c> (path-style addressing is used then). Null:
    /// <c>$AWS_ENDPOINT_URL_S3</c>, else <c>$AWS_ENDPOINT_URL</c>, else Amazon S3 itself.
    /// </summary>
    public Uri? S3ServiceUrl { get; init; }

    /// <summary>The S3 region (the signing region of an S3-compatible endpoint). Null: <c>$AWS_REGION</c>, else <c>$AWS_DEFAULT_REGION</c>, else <c>us-east-1</c>.</summary>
    public string? S3Region { get; init; }

    /// <summary>
    /// The S3 access key id, given together with <see cref="S3SecretAccessKey"/>. Null: the AWS SDK's default
    /// credential chain (<c>$AWS_ACCESS_KEY_ID</c>/<c>$AWS_SECRET_ACCESS_KEY</c>/<c>$AWS_SESSION_TOKEN</c>,
    /// <c>$AWS_PROFILE</c> in <c>~/.aws/credentials</c> and <c>~/.aws/config</c>, then the instance's role).
    /// </summary>
    public string? S3AccessKeyId { get; init; }

    /// <summary>The S3 secret access key.</summary>
    public string? S3SecretAccessKey { get; init; }

    /// <summary>The default <see cref="S3PartSize"/>: 64 MiB.</summary>
    public const int DefaultS3PartSize = 64 << 20;

    /// <summary>The smallest <see cref="S3PartSize"/>: S3's smallest part (but the last of an upload), 5 MiB.</summary>
    public const int MinS3PartSize = 5 << 20;

    /// <summary>
    /// Files up to this size go to S3 in one PUT; larger ones as a multipart upload in parts of this size, read from the
    /// staged file one part at a time. S3 allows 10,000 parts, so the largest file is 10,000 × this.
    /// </summary>
    public int S3PartSize { get; init; } = DefaultS3PartSize;

    /// <summary>
    /// How OCI registries are reached: credentials, trusted CAs, limits. Null: the defaults of
    /// <see cref="OciRegistryOptions"/>, whose credentials come from the files <c>docker</c> and <c>podman</c> use.
    /// </summary>
    public OciRegistryOptions? Registry { get; init; }
}
