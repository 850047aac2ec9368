namespace Arc.Remote;

/// <summary>
/// The content address of a file in develop mode: SHA-256 as 64 lower-case hex characters — the hex part of an
/// <see cref="Artifacts.OciDigest"/>, which computes and checks it.
/// </summary>
public static class BlobDigest
{
    /// <summary>The digest of <paramref name="bytes"/>.</summary>
    public static string Of(ReadOnlySpan<byte> bytes) => Artifacts.OciDigest.Compute(bytes).Hex;

    /// <summary>The digest of the file at <paramref name="path"/>, read as a stream.</summary>
    public static async Task<string> OfFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        return (await Artifacts.OciDigest.ComputeAsync(stream, cancellationToken)).Hex;
    }

    /// <summary>Whether <paramref name="digest"/> is well formed (so it can name a file in a store).</summary>
    public static bool IsValid(string? digest) => digest is not null && Artifacts.OciDigest.TryParse(Artifacts.OciDigest.Sha256 + ":" + digest, out _, out _);
}
