using System.Security.Cryptography;

namespace Arc.Tracking.Server;

/// <summary>
/// The one rule for a blob's address: exactly 64 lowercase hex digits. Stores build file names and object keys from
/// it, so anything else (upper case, separators, "..", a shorter string) is refused before it reaches a path.
/// </summary>
internal static class BlobHash
{
    public const int HexLength = 64;

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="sha256"/> is 64 lowercase hex digits.</summary>
    public static void Validate(string sha256, string parameterName = "sha256")
    {
        ArgumentNullException.ThrowIfNull(sha256, parameterName);
        if (sha256.Length == HexLength && sha256.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f')) return;
        string shown = sha256.Length <= 80 ? sha256 : sha256[..80] + "…";
        throw new ArgumentException(
            $"a blob address is the SHA-256 of its content as 64 lowercase hex digits; got \"{shown}\" ({sha256.Length} characters)",
            parameterName);
    }

    /// <summary>The lowercase hex form of a finished SHA-256.</summary>
    public static string ToHex(byte[] hash) => Convert.ToHexStringLower(hash);

    /// <summary>A new incremental SHA-256 (the caller disposes it).</summary>
    public static IncrementalHash Create() => IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
}
