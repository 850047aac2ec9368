using System.Security.Cryptography;

namespace Arc.Remote;

/// <summary>
/// The content address of a file in develop mode: SHA-256 as 64 lower-case hex characters (the hex part of the
/// <c>sha256:</c> digests that artifacts use).
/// </summary>
public static class BlobDigest
{
    /// <summary>The digest of <paramref name="bytes"/>.</summary>
    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>The digest of the file at <paramref name="path"/>, read as a stream.</summary>
    public static async Task<string> OfFileAsync(string path, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        await using var streamDisposal = stream.ConfigureAwait(false);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Whether <paramref name="digest"/> is well formed (so it can name a file in a store).</summary>
    public static bool IsValid(string? digest) => digest is { Length: 64 } && digest.All(char.IsAsciiHexDigitLower);
}
