namespace Arc.Artifacts;

/// <summary>Base of every error an Arc artifact store raises; <see cref="Reference"/> names what was being read or written.</summary>
public class ArtifactStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ArtifactStoreException(string reference, string message, Exception? inner = null) : base(message, inner)
        => Reference = reference;

    /// <summary>The artifact reference, repository or blob the operation was about.</summary>
    public string Reference { get; }
}

/// <summary>A tag, manifest, blob or layout that does not exist in the store.</summary>
public sealed class ArtifactNotFoundException : ArtifactStoreException
{
    /// <summary>Creates the exception.</summary>
    public ArtifactNotFoundException(string reference, string message, Exception? inner = null) : base(reference, message, inner) { }
}

/// <summary>
/// Stored content that does not hash to the digest it is addressed by, or whose length differs from the one
/// declared: it was corrupted or tampered with, and is refused (never handed out).
/// </summary>
public sealed class ArtifactIntegrityException : ArtifactStoreException
{
    /// <summary>Creates the exception; <paramref name="found"/> is null when reading stopped early (too many bytes).</summary>
    public ArtifactIntegrityException(string reference, OciDigest expected, long expectedSize, OciDigest? found, long foundSize, string? detail = null)
        : base(reference, Format(reference, expected, expectedSize, found, foundSize, detail))
    {
        Expected = expected;
        Found = found;
        ExpectedSize = expectedSize;
        FoundSize = foundSize;
    }

    /// <summary>The digest the content is addressed by.</summary>
    public OciDigest Expected { get; }

    /// <summary>The digest of the bytes actually read, or null when reading stopped before the end.</summary>
    public OciDigest? Found { get; }

    /// <summary>The declared length.</summary>
    public long ExpectedSize { get; }

    /// <summary>The length actually found (when longer than declared, where reading stopped).</summary>
    public long FoundSize { get; }

    static string Format(string reference, OciDigest expected, long expectedSize, OciDigest? found, long foundSize, string? detail)
    {
        string what = found is null
            ? foundSize > expectedSize ? $"found at least {foundSize} bytes, more than declared (reading stopped there)" : $"found {foundSize} bytes"
            : $"found {found} ({foundSize} bytes)";
        return $"content of {reference} failed verification: expected {expected} ({expectedSize} bytes), {what}"
               + (detail is null ? "" : $"; {detail}")
               + ". The stored copy is corrupt or was tampered with; it was refused.";
    }
}

/// <summary>A manifest, index or layout file that is not the OCI document it should be.</summary>
public sealed class ArtifactFormatException : ArtifactStoreException
{
    /// <summary>Creates the exception.</summary>
    public ArtifactFormatException(string reference, string problem, Exception? inner = null)
        : base(reference, $"{reference}: {problem}", inner) => Problem = problem;

    /// <summary>What is wrong, without the reference.</summary>
    public string Problem { get; }
}

/// <summary>A registry answered with an error (or not at all); carries its HTTP status and OCI error code.</summary>
public sealed class ArtifactRegistryException : ArtifactStoreException
{
    /// <summary>Creates the exception.</summary>
    public ArtifactRegistryException(string reference, string operation, int? statusCode, string? errorCode, string message, Exception? inner = null)
        : base(reference, Format(reference, operation, statusCode, errorCode, message), inner)
    {
        Operation = operation;
        StatusCode = statusCode;
        ErrorCode = errorCode;
    }

    /// <summary>What was attempted (e.g. <c>PUT manifest</c>).</summary>
    public string Operation { get; }

    /// <summary>The HTTP status, or null when the registry did not answer.</summary>
    public int? StatusCode { get; }

    /// <summary>The first OCI distribution error code the registry sent (e.g. <c>MANIFEST_BLOB_UNKNOWN</c>), or null.</summary>
    public string? ErrorCode { get; }

    static string Format(string reference, string operation, int? status, string? code, string message)
    {
        string answer = status is null ? "no answer" : $"HTTP {status}" + (code is null ? "" : $" {code}");
        return $"registry refused {operation} for {reference} ({answer}): {message}";
    }
}

/// <summary>
/// A registry that wants credentials got none, refused the ones it got, or the credentials could not be read (a
/// broken credential file or helper). The message names the registry and says how to log in.
/// </summary>
public sealed class ArtifactAuthenticationException : ArtifactStoreException
{
    /// <summary>Creates the exception.</summary>
    public ArtifactAuthenticationException(string reference, string registry, int? statusCode, string message, Exception? inner = null)
        : base(reference, message, inner)
    {
        Registry = registry;
        StatusCode = statusCode;
    }

    /// <summary>The registry (<c>host[:port]</c>) that asked for credentials.</summary>
    public string Registry { get; }

    /// <summary>The HTTP status of the refusal (401 or 403), or null when the credentials could not be read at all.</summary>
    public int? StatusCode { get; }
}
