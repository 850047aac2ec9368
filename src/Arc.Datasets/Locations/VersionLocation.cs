using Arc.Artifacts;

namespace Arc.Datasets;

/// <summary>
/// Where published versions (of datasets and of models: the one place both parse it) live or are opened from, read from
/// a URI (docs/datasets.md, "Destinations"):
/// <list type="bullet">
/// <item>a local folder: a path or a <c>file://</c> URI;</item>
/// <item><c>s3://bucket[/prefix]</c>: objects <c>&lt;prefix&gt;/&lt;name&gt;/&lt;version&gt;/&lt;file&gt;</c> in an S3 bucket;</item>
/// <item><c>oci://host[:port]/repository</c>: one OCI artifact per version, <c>host/repository/&lt;name&gt;:&lt;version&gt;</c>.</item>
/// </list>
/// A destination names where versions go; a version is opened from the destination's form plus <c>/&lt;name&gt;/&lt;version&gt;</c>
/// (folders and S3) or <c>/&lt;name&gt;:&lt;version&gt;</c> (OCI).
/// </summary>
internal abstract record VersionLocation
{
    /// <summary>The URI scheme of S3 locations.</summary>
    public const string S3Scheme = "s3://";

    /// <summary>The URI scheme of OCI registry locations.</summary>
    public const string OciScheme = "oci://";

    /// <summary>A local folder.</summary>
    public sealed record Folder(string Path) : VersionLocation
    {
        /// <inheritdoc />
        public override string ToString() => Path;
    }

    /// <summary>Objects in an S3 bucket under <paramref name="Prefix"/> (empty, or ending with '/').</summary>
    public sealed record S3(string Bucket, string Prefix) : VersionLocation
    {
        /// <summary>The location one folder further down.</summary>
        public S3 Child(string name) => this with { Prefix = Prefix + name + "/" };

        /// <inheritdoc />
        public override string ToString() => $"{S3Scheme}{Bucket}/{Prefix.TrimEnd('/')}".TrimEnd('/');
    }

    /// <summary>A repository of an OCI registry, and for a version its tag.</summary>
    public sealed record Oci(ArtifactReference Reference) : VersionLocation
    {
        /// <inheritdoc />
        public override string ToString() => OciScheme + Reference;
    }

    /// <summary>Reads <paramref name="uri"/>; <paramref name="what"/> (e.g. "dataset version") names it in errors.</summary>
    /// <exception cref="ArgumentException">A URI of these schemes that is malformed.</exception>
    /// <exception cref="NotSupportedException">Another scheme.</exception>
    public static VersionLocation Parse(string uri, string what)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uri);
        int scheme = uri.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0) return new Folder(System.IO.Path.GetFullPath(uri));
        if (uri.StartsWith("file://", StringComparison.OrdinalIgnoreCase)) return new Folder(System.IO.Path.GetFullPath(new Uri(uri).LocalPath));
        if (uri.StartsWith(S3Scheme, StringComparison.OrdinalIgnoreCase)) return ParseS3(uri, what);
        if (uri.StartsWith(OciScheme, StringComparison.OrdinalIgnoreCase)) return ParseOci(uri, what);
        throw new NotSupportedException(
            $"{uri[..scheme]}:// is not a {what} location: use a local folder (a path or file://), s3://bucket/prefix or oci://host/repository");
    }

    /// <summary>Throws unless <paramref name="name"/> is a dataset or model name or version: letters, digits, '.', '_', '-', starting with a letter or digit, at most 128 characters.</summary>
    public static void CheckName(string name, string what, string? paramName = null)
    {
        paramName ??= what;
        ArgumentNullException.ThrowIfNull(name, paramName);
        bool ok = name.Length is > 0 and <= 128 && char.IsAsciiLetterOrDigit(name[0])
                  && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
        if (!ok)
            throw new ArgumentException($"'{name}' is not a valid {what}: use letters, digits, '.', '_' and '-', starting with a letter or digit (at most 128 characters); it names a folder", paramName);
    }

    private static S3 ParseS3(string uri, string what)
    {
        string rest = uri[S3Scheme.Length..];
        int slash = rest.IndexOf('/');
        string bucket = slash < 0 ? rest : rest[..slash];
        string prefix = slash < 0 ? "" : rest[(slash + 1)..].Trim('/');
        // S3's bucket naming rules, so a typo is caught here rather than as a signature or DNS error.
        bool bucketOk = bucket.Length is >= 3 and <= 63 && IsLowerOrDigit(bucket[0]) && IsLowerOrDigit(bucket[^1])
                        && bucket.All(c => IsLowerOrDigit(c) || c is '-' or '.');
        if (!bucketOk)
            throw new ArgumentException($"'{uri}' is not a {what} location: '{bucket}' is not an S3 bucket name (3-63 lowercase letters, digits, '-' and '.')", nameof(uri));
        if (prefix.Split('/').Any(segment => segment is "" or "." or "..") && prefix.Length > 0)
            throw new ArgumentException($"'{uri}' is not a {what} location: its key prefix has an empty, '.' or '..' segment", nameof(uri));
        return new S3(bucket, prefix.Length == 0 ? "" : prefix + "/");
    }

    private static bool IsLowerOrDigit(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);

    private static Oci ParseOci(string uri, string what)
    {
        string rest = uri[OciScheme.Length..];
        if (!ArtifactReference.TryParse(rest, out var reference, out var error) || reference.Kind != ArtifactStoreKind.Registry)
            throw new ArgumentException($"'{uri}' is not a {what} location: {error ?? "an OCI location names a registry host and a repository"}", nameof(uri));
        if (reference.Digest is not null)
            throw new ArgumentException($"'{uri}' is not a {what} location: name a version by its tag (:<version>), not by a digest", nameof(uri));
        return new Oci(reference);
    }
}
