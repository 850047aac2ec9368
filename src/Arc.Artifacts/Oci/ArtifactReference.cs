namespace Arc.Artifacts;

/// <summary>Where an artifact reference points: a registry speaking the OCI distribution API, or an OCI image layout on disk.</summary>
public enum ArtifactStoreKind
{
    /// <summary><c>host[:port]/repository[:tag][@sha256:…]</c>.</summary>
    Registry,

    /// <summary><c>oci-layout:&lt;directory&gt;[:tag][@sha256:…]</c>.</summary>
    Layout,
}

/// <summary>
/// A reference to an artifact (or, with neither tag nor digest, to a repository):
/// <list type="bullet">
/// <item><c>registry.example.com:5000/team/models:model-mlp-1a2b3c4d5e6f</c> — a registry, repository and tag;</item>
/// <item><c>127.0.0.1:5000/team/models@sha256:&lt;64 hex&gt;</c> — pinned by manifest digest (a tag may precede it; the digest wins);</item>
/// <item><c>oci-layout:/var/arc/models:model-mlp-1a2b3c4d5e6f</c> — an OCI image layout directory and a tag in its index.json.</item>
/// </list>
/// A registry reference always names its host (there is no default registry). Names and tags follow the OCI
/// distribution spec grammar; a layout directory's last segment may not contain ':' or '@' (they would read as a
/// tag or digest). Parsing is strict: anything else is a <see cref="FormatException"/> saying which rule broke.
/// </summary>
public sealed class ArtifactReference : IEquatable<ArtifactReference>
{
    /// <summary>The prefix that marks an OCI image layout reference.</summary>
    public const string LayoutScheme = "oci-layout:";

    ArtifactReference(ArtifactStoreKind kind, string? registry, string repository, string? tag, OciDigest? digest)
    {
        Kind = kind;
        Registry = registry;
        Repository = repository;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>Registry or layout.</summary>
    public ArtifactStoreKind Kind { get; }

    /// <summary>For a registry reference, <c>host[:port]</c>; null for a layout.</summary>
    public string? Registry { get; }

    /// <summary>For a registry reference the repository name; for a layout its directory.</summary>
    public string Repository { get; }

    /// <summary>The tag, or null.</summary>
    public string? Tag { get; }

    /// <summary>The manifest digest, or null.</summary>
    public OciDigest? Digest { get; }

    /// <summary>Whether the reference names one artifact (by tag or digest) rather than only a repository.</summary>
    public bool NamesArtifact => Tag is not null || Digest is not null;

    /// <summary>The tag or digest a store looks up: the digest when both are given.</summary>
    public string? TagOrDigest => Digest?.ToString() ?? Tag;

    /// <summary>A registry reference; every part is validated.</summary>
    public static ArtifactReference ForRegistry(string registry, string repository, string? tag = null, OciDigest? digest = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(repository);
        string? error = ArtifactReferenceGrammar.CheckRegistry(registry)
                        ?? ArtifactReferenceGrammar.CheckRepository(repository)
                        ?? (tag is null ? null : ArtifactReferenceGrammar.CheckTag(tag));
        if (error is null && registry.Length + 1 + repository.Length > ArtifactReferenceGrammar.MaxNameLength)
            error = $"'{registry}/{OciDigest.Shorten(repository)}' is longer than {ArtifactReferenceGrammar.MaxNameLength} characters";
        if (error is not null) throw new ArgumentException($"invalid artifact reference: {error}");
        return new ArtifactReference(ArtifactStoreKind.Registry, registry, repository, tag, digest);
    }

    /// <summary>A reference into the OCI image layout at <paramref name="directory"/>.</summary>
    public static ArtifactReference ForLayout(string directory, string? tag = null, OciDigest? digest = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        string? error = CheckLayoutDirectory(directory) ?? (tag is null ? null : ArtifactReferenceGrammar.CheckTag(tag));
        if (error is not null) throw new ArgumentException($"invalid artifact reference: {error}");
        return new ArtifactReference(ArtifactStoreKind.Layout, null, directory, tag, digest);
    }

    /// <summary>The same repository with <paramref name="tag"/> (and no digest).</summary>
    public ArtifactReference WithTag(string tag) => Kind == ArtifactStoreKind.Layout
        ? ForLayout(Repository, tag)
        : ForRegistry(Registry!, Repository, tag);

    /// <summary>The same repository pinned to <paramref name="digest"/> (and no tag).</summary>
    public ArtifactReference WithDigest(OciDigest digest) => new(Kind, Registry, Repository, null, digest ?? throw new ArgumentNullException(nameof(digest)));

    /// <summary>The repository alone, without tag or digest.</summary>
    public ArtifactReference RepositoryOnly => new(Kind, Registry, Repository, null, null);

    /// <summary>Parses a reference; throws <see cref="FormatException"/> naming the rule it breaks.</summary>
    public static ArtifactReference Parse(string text)
        => TryParse(text, out var reference, out var error) ? reference : throw new FormatException(error);

    /// <summary>Parses a reference; on failure <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ArtifactReference? reference, out string? error)
    {
        reference = null;
        error = text is null or "" ? "an artifact reference is required" : null;
        if (error is null)
            error = text!.StartsWith(LayoutScheme, StringComparison.Ordinal)
                ? ParseLayout(text, text[LayoutScheme.Length..], out reference)
                : ParseRegistry(text, out reference);
        if (error is not null) error = $"invalid artifact reference '{OciDigest.Shorten(text ?? "")}': {error}";
        return error is null;
    }

    static string? ParseRegistry(string text, out ArtifactReference? reference)
    {
        reference = null;
        if (text.Any(char.IsWhiteSpace)) return "it contains whitespace";
        if (text.Contains("://")) return "drop the scheme (http:// or https://): write host[:port]/repository[:tag]";
        string rest = SplitDigest(text, out var digest, out var digestError);
        if (digestError is not null) return digestError;
        int slash = rest.IndexOf('/');
        if (slash < 0) return "expected host[:port]/repository[:tag|@sha256:…]; a registry reference must name its registry host";
        string registry = rest[..slash];
        string nameAndTag = rest[(slash + 1)..];
        string? tag = null;
        int colon = nameAndTag.LastIndexOf(':');
        if (colon >= 0)
        {
            tag = nameAndTag[(colon + 1)..];
            nameAndTag = nameAndTag[..colon];
        }
        string? error = ArtifactReferenceGrammar.CheckRegistry(registry)
                        ?? ArtifactReferenceGrammar.CheckRepository(nameAndTag)
                        ?? (tag is null ? null : ArtifactReferenceGrammar.CheckTag(tag));
        if (error is null && registry.Length + 1 + nameAndTag.Length > ArtifactReferenceGrammar.MaxNameLength)
            error = $"the name is longer than {ArtifactReferenceGrammar.MaxNameLength} characters";
        if (error is not null) return error;
        reference = new ArtifactReference(ArtifactStoreKind.Registry, registry, nameAndTag, tag, digest);
        return null;
    }

    static string? ParseLayout(string text, string rest, out ArtifactReference? reference)
    {
        reference = null;
        int lastSeparator = Math.Max(rest.LastIndexOf('/'), rest.LastIndexOf('\\'));
        string tail = rest[(lastSeparator + 1)..];
        OciDigest? digest = null;
        int at = tail.IndexOf('@');
        if (at >= 0)
        {
            if (!OciDigest.TryParse(tail[(at + 1)..], out digest, out var digestError)) return digestError;
            tail = tail[..at];
        }
        string? tag = null;
        int colon = tail.IndexOf(':');
        if (colon >= 0)
        {
            tag = tail[(colon + 1)..];
            tail = tail[..colon];
            if (ArtifactReferenceGrammar.CheckTag(tag) is { } tagError) return tagError;
        }
        string directory = rest[..(lastSeparator + 1)] + tail;
        if (CheckLayoutDirectory(directory) is { } directoryError) return directoryError;
        reference = new ArtifactReference(ArtifactStoreKind.Layout, null, directory, tag, digest);
        return null;
    }

    static string SplitDigest(string text, out OciDigest? digest, out string? error)
    {
        digest = null;
        error = null;
        int at = text.IndexOf('@');
        if (at < 0) return text;
        if (text.IndexOf('@', at + 1) >= 0)
        {
            error = "it has more than one '@'";
            return text;
        }
        if (!OciDigest.TryParse(text[(at + 1)..], out digest, out error)) return text;
        return text[..at];
    }

    static string? CheckLayoutDirectory(string directory)
    {
        if (directory.Length == 0) return $"the layout directory is empty; write {LayoutScheme}<directory>[:tag]";
        if (directory.Any(char.IsControl)) return "the layout directory contains control characters";
        string tail = directory.TrimEnd('/', '\\');
        tail = tail[(Math.Max(tail.LastIndexOf('/'), tail.LastIndexOf('\\')) + 1)..];
        if (tail.Contains(':') || tail.Contains('@'))
            return $"the layout directory's last segment '{tail}' contains ':' or '@', which would read as a tag or digest";
        return null;
    }

    /// <summary>The reference in the form <see cref="Parse"/> reads.</summary>
    public override string ToString()
    {
        string head = Kind == ArtifactStoreKind.Layout ? LayoutScheme + Repository : Registry + "/" + Repository;
        return head + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);
    }

    /// <inheritdoc/>
    public bool Equals(ArtifactReference? other)
        => other is not null && Kind == other.Kind && Registry == other.Registry && Repository == other.Repository
           && Tag == other.Tag && Digest == other.Digest;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ArtifactReference);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, Registry, Repository, Tag, Digest);
}
