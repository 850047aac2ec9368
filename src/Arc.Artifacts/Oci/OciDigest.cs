using System.Security.Cryptography;

namespace Arc.Artifacts;

/// <summary>
/// A content digest as the OCI specs write it, <c>sha256:&lt;64 lowercase hex&gt;</c>. Arc stores address every
/// blob and manifest by one, and only sha256 is accepted: a store that hashes with something else is refused
/// rather than trusted.
/// </summary>
public sealed class OciDigest : IEquatable<OciDigest>
{
    /// <summary>The one algorithm Arc stores use.</summary>
    public const string Sha256 = "sha256";

    const int HexLength = 64;

    OciDigest(string hex) => Hex = hex;

    /// <summary>The algorithm, always <c>sha256</c>.</summary>
    public string Algorithm => Sha256;

    /// <summary>The 64 lowercase hex characters of the hash.</summary>
    public string Hex { get; }

    /// <summary>The first <paramref name="length"/> hex characters, for human-facing tags (<c>model-x-1a2b3c4d5e6f</c>).</summary>
    public string Short(int length = 12) => Hex[..Math.Clamp(length, 1, HexLength)];

    /// <summary>The digest of <paramref name="content"/>.</summary>
    public static OciDigest Compute(ReadOnlySpan<byte> content) => FromHash(SHA256.HashData(content));

    /// <summary>The digest of everything left in <paramref name="content"/>, read to its end.</summary>
    public static async Task<OciDigest> ComputeAsync(Stream content, CancellationToken cancellationToken = default)
        => FromHash(await SHA256.HashDataAsync(content, cancellationToken).ConfigureAwait(false));

    /// <summary>Wraps a finished 32-byte SHA-256 hash.</summary>
    public static OciDigest FromHash(ReadOnlySpan<byte> sha256Hash)
    {
        if (sha256Hash.Length != SHA256.HashSizeInBytes)
            throw new ArgumentException($"a SHA-256 hash is {SHA256.HashSizeInBytes} bytes, not {sha256Hash.Length}", nameof(sha256Hash));
        return new OciDigest(Convert.ToHexStringLower(sha256Hash));
    }

    /// <summary>Parses <c>sha256:&lt;hex&gt;</c>; throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static OciDigest Parse(string text)
        => TryParse(text, out var digest, out var error) ? digest : throw new FormatException(error);

    /// <summary>Parses <c>sha256:&lt;hex&gt;</c>; on failure <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out OciDigest? digest, out string? error)
    {
        digest = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "a digest is required (sha256:<64 hex characters>)";
            return false;
        }
        int colon = text.IndexOf(':');
        if (colon <= 0)
        {
            error = $"'{Shorten(text)}' is not a digest: expected sha256:<64 hex characters>";
            return false;
        }
        string algorithm = text[..colon];
        if (algorithm != Sha256)
        {
            error = $"digest algorithm '{Shorten(algorithm)}' is not supported: Arc artifact stores use sha256 only";
            return false;
        }
        string hex = text[(colon + 1)..];
        // Fixed length first, then lowercase hex: the digest names files on disk, so nothing else may pass.
        if (hex.Length != HexLength || !hex.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f'))
        {
            error = $"'{Shorten(text)}' is not a sha256 digest: expected exactly {HexLength} lowercase hex characters after 'sha256:'";
            return false;
        }
        digest = new OciDigest(hex);
        error = null;
        return true;
    }

    /// <summary>Whether <paramref name="content"/> hashes to this digest.</summary>
    public bool Matches(ReadOnlySpan<byte> content) => Equals(Compute(content));

    /// <inheritdoc/>
    public bool Equals(OciDigest? other) => other is not null && other.Hex == Hex;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as OciDigest);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Hex);

    /// <summary><c>sha256:&lt;hex&gt;</c>.</summary>
    public override string ToString() => Sha256 + ":" + Hex;

    /// <summary>Equality by value.</summary>
    public static bool operator ==(OciDigest? left, OciDigest? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Inequality by value.</summary>
    public static bool operator !=(OciDigest? left, OciDigest? right) => !(left == right);

    // Error messages quote the input, but a hostile one could be megabytes long.
    internal static string Shorten(string text) => text.Length <= 100 ? text : text[..100] + "…";
}
