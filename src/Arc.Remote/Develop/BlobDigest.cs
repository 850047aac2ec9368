using System.Security.Cryptography;

namespace Arc.Remote;

/// <summary>The content address of a file in develop mode: SHA-256, 64 lower-case hex characters.</summary>
public static class BlobDigest
{
    /// <summary>The digest of <paramref name="bytes"/>.</summary>
    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>The digest of the file at <paramref name="path"/>, read as a stream.</summary>
    public static async Task<string> OfFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }

    /// <summary>Whether <paramref name="digest"/> is well formed (so it can name a file in a store).</summary>
    public static bool IsValid(string? digest)
    {
        if (digest is null || digest.Length != 64) return false;
        foreach (char c in digest)
            if (c is not (>= '0' and <= '9' or >= 'a' and <= 'f')) return false;
        return true;
    }
}
