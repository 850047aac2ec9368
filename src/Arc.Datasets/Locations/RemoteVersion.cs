using Arc.Artifacts;

namespace Arc.Datasets;

/// <summary>
/// One published version (of a dataset or a model) in a remote destination: its files by their relative paths
/// (<c>/</c> between folders). A version exists once its <c>meta.json</c> does (S3: the object written last; OCI: the
/// tag, pushed after every blob), so a publish that fails midway leaves nothing that opens as the version.
/// </summary>
internal abstract class RemoteVersion : IDisposable
{
    /// <summary>The version's URI, the form <see cref="ForOpen"/> reads.</summary>
    public abstract string Uri { get; }

    /// <summary>Whether the version is published.</summary>
    public abstract Task<bool> ExistsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Sends <paramref name="files"/> of <paramref name="folder"/> (meta.json among them) as the version;
    /// <paramref name="artifactType"/> says what it is where the destination records that (OCI).
    /// </summary>
    /// <exception cref="IOException">The version appeared meanwhile (<paramref name="exists"/> makes the exception).</exception>
    public abstract Task PublishAsync(string folder, IReadOnlyList<string> files, string artifactType, Func<Exception> exists, CancellationToken cancellationToken);

    /// <summary>The bytes of <paramref name="file"/>, or null when the version has no such file; more than <paramref name="maxBytes"/> is refused.</summary>
    public abstract Task<byte[]?> ReadSmallAsync(string file, int maxBytes, Func<string, string, Exception> formatError, CancellationToken cancellationToken);

    /// <summary>Writes <paramref name="file"/>, which must be exactly <paramref name="bytes"/> long, to the new local file <paramref name="path"/>.</summary>
    public abstract Task DownloadAsync(string file, long bytes, string path, Func<string, string, Exception> formatError, CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract void Dispose();

    /// <summary>The version <paramref name="name"/>:<paramref name="version"/> in the remote destination <paramref name="destination"/>.</summary>
    public static RemoteVersion ForPublish(VersionLocation destination, string name, string version, VersionStorageOptions? options) => destination switch
    {
        VersionLocation.S3 s3 => new S3RemoteVersion(S3Clients.Create(options), s3.Child(name).Child(version), options?.S3PartSize ?? VersionStorageOptions.DefaultS3PartSize),
        // OCI repository names are lowercase; the name as given stays in meta.json.
        VersionLocation.Oci oci when oci.Reference.Tag is null => OciRemoteVersion.Open(
            ArtifactReference.ForRegistry(oci.Reference.Registry!, oci.Reference.Repository + "/" + name.ToLowerInvariant(), version), options),
        VersionLocation.Oci oci => throw new ArgumentException(
            $"{oci} names a tag; a destination names a repository (oci://host/repository), and each version becomes <repository>/<name>:<version>"),
        _ => throw new ArgumentException($"{destination} is not a remote destination"),
    };

    /// <summary>The version at <paramref name="location"/> (<c>s3://bucket/prefix/name/version</c> or <c>oci://host/repository/name:version</c>).</summary>
    public static RemoteVersion ForOpen(VersionLocation location, VersionStorageOptions? options) => location switch
    {
        VersionLocation.S3 { Prefix.Length: > 0 } s3 => new S3RemoteVersion(S3Clients.Create(options), s3, options?.S3PartSize ?? VersionStorageOptions.DefaultS3PartSize),
        VersionLocation.S3 s3 => throw new ArgumentException($"{s3} names a bucket; a version is s3://bucket/prefix/<name>/<version>"),
        VersionLocation.Oci { Reference.Tag: not null } oci => OciRemoteVersion.Open(oci.Reference, options),
        VersionLocation.Oci oci => throw new ArgumentException($"{oci} names no version; a version is oci://host/repository/<name>:<version>"),
        _ => throw new ArgumentException($"{location} is not a remote location"),
    };
}
