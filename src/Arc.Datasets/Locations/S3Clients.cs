using Amazon.Runtime;
using Amazon.S3;

namespace Arc.Datasets;

/// <summary>Makes the S3 client of a remote version from <see cref="VersionStorageOptions"/> and the environment.</summary>
internal static class S3Clients
{
    /// <summary>What the client is made from, every member settled (for tests of where each comes from).</summary>
    public sealed record Settings(Uri? ServiceUrl, string Region, string? AccessKeyId, string? SecretAccessKey);

    /// <summary>Settles the options: what they give, else the environment's documented variables, else the defaults.</summary>
    public static Settings Resolve(VersionStorageOptions? options, Func<string, string?> environment)
    {
        options ??= new VersionStorageOptions();
        if ((options.S3AccessKeyId is null) != (options.S3SecretAccessKey is null))
            throw new ArgumentException("give both the S3 access key id and the secret access key, or neither (the AWS SDK's default credentials)", nameof(options));
        if (options.S3PartSize < VersionStorageOptions.MinS3PartSize)
            throw new ArgumentException($"the S3 part size {options.S3PartSize} is below S3's minimum of {VersionStorageOptions.MinS3PartSize} bytes", nameof(options));
        string? Env(string name) => environment(name) is { Length: > 0 } value ? value : null;
        Uri? url = options.S3ServiceUrl;
        if (url is null && (Env("AWS_ENDPOINT_URL_S3") ?? Env("AWS_ENDPOINT_URL")) is { } text)
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out url) || url.Scheme is not ("http" or "https"))
                throw new ArgumentException($"the S3 endpoint '{text}' (from AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL) is not an http:// or https:// URL");
        }
        string region = options.S3Region ?? Env("AWS_REGION") ?? Env("AWS_DEFAULT_REGION") ?? "us-east-1";
        return new Settings(url, region, options.S3AccessKeyId, options.S3SecretAccessKey);
    }

    /// <summary>A client for <paramref name="options"/>; the caller disposes it.</summary>
    public static IAmazonS3 Create(VersionStorageOptions? options)
    {
        var settings = Resolve(options, Environment.GetEnvironmentVariable);
        var config = new AmazonS3Config
        {
            // meta.json's SHA-256 of every file is checked after download, and signed payloads protect uploads; the
            // SDK's extra CRC trailers are not understood by every S3-compatible server (as for the tracking blob store).
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (settings.ServiceUrl is { } url)
        {
            config.ServiceURL = url.ToString();
            config.AuthenticationRegion = settings.Region;
            config.ForcePathStyle = true; // S3-compatible servers rarely have a DNS name per bucket
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(settings.Region);
        }
        return settings.AccessKeyId is { } keyId
            ? new AmazonS3Client(new BasicAWSCredentials(keyId, settings.SecretAccessKey), config)
            : new AmazonS3Client(config);
    }
}
