using System.Security.Cryptography;

namespace Arc.Artifacts;

/// <summary>
/// Reads content while hashing it and hands it out only once it proved to be exactly what its descriptor says.
/// Buffers grow with the bytes that actually arrive, never with a declared size, so a forged size cannot cause a
/// huge allocation; beyond <see cref="MemoryLimit"/> the bytes spill to a temporary file deleted on close.
/// </summary>
internal static class VerifiedContent
{
    /// <summary>Content up to this size is verified in memory.</summary>
    public const int MemoryLimit = 16 * 1024 * 1024;

    /// <summary>No manifest is larger (registries cap them at 4 MiB too).</summary>
    public const int MaxManifestSize = 4 * 1024 * 1024;

    const int ChunkSize = 81920;

    /// <summary>Reads all of <paramref name="source"/> (at most <paramref name="limit"/> bytes, else <see cref="ArtifactFormatException"/>).</summary>
    public static async Task<byte[]> ReadBoundedAsync(Stream source, int limit, string reference, string what, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[ChunkSize];
        int read;
        while ((read = await source.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
                throw new ArtifactFormatException(reference, $"the {what} is larger than {limit} bytes; refused");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>Checks bytes already in memory against <paramref name="expected"/>.</summary>
    public static void Verify(ReadOnlySpan<byte> content, OciDescriptor expected, string reference)
    {
        if (content.Length == expected.Size && expected.Digest.Matches(content)) return;
        throw new ArtifactIntegrityException(reference, expected.Digest, expected.Size, OciDigest.Compute(content), content.Length);
    }

    /// <summary>
    /// Copies <paramref name="source"/> to a verified, rewound, read-only stream: memory for small content, a
    /// temporary file (deleted on dispose) for large. Reading stops one byte past the declared size.
    /// </summary>
    public static async Task<Stream> BufferAsync(Stream source, OciDescriptor expected, string reference, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Stream sink = new MemoryStream();
        string? spillPath = null;
        try
        {
            var chunk = new byte[ChunkSize];
            long total = 0;
            while (true)
            {
                // Never ask for more than one byte past the declared size: enough to notice a longer blob.
                int want = (int)Math.Min(chunk.Length, expected.Size + 1 - total);
                int read = await source.ReadAsync(chunk.AsMemory(0, want), cancellationToken).ConfigureAwait(false);
                if (read == 0) break;
                total += read;
                if (total > expected.Size)
                    throw new ArtifactIntegrityException(reference, expected.Digest, expected.Size, null, total);
                hash.AppendData(chunk, 0, read);
                if (spillPath is null && sink.Length + read > MemoryLimit)
                {
                    // Named after this process (a kill skips DeleteOnClose; the next Arc process removes it), and 0600:
                    // a blob being verified is nobody else's to read.
                    spillPath = ArcTempPaths.NewFilePath(ArcTempPaths.Blob);
                    var spill = new FileStreamOptions
                    {
                        Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Share = FileShare.None, BufferSize = 1 << 16,
                        Options = FileOptions.DeleteOnClose | FileOptions.Asynchronous,
                    };
                    if (!OperatingSystem.IsWindows()) spill.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                    var file = new FileStream(spillPath, spill);
                    sink.Position = 0;
                    await sink.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                    await sink.DisposeAsync().ConfigureAwait(false);
                    sink = file;
                }
                await sink.WriteAsync(chunk.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
            var found = OciDigest.FromHash(hash.GetHashAndReset());
            if (total != expected.Size || found != expected.Digest)
                throw new ArtifactIntegrityException(reference, expected.Digest, expected.Size, found, total);
            sink.Position = 0;
            return sink is MemoryStream memory ? new MemoryStream(memory.GetBuffer(), 0, (int)memory.Length, writable: false) : new ReadOnlyStream(sink);
        }
        catch
        {
            await sink.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Hashes an open file from its start and rewinds it; throws when it is not what <paramref name="expected"/> says.</summary>
    public static async Task VerifyFileAsync(FileStream file, OciDescriptor expected, string reference, CancellationToken cancellationToken)
    {
        long length = file.Length;
        if (length != expected.Size)
        {
            // A size mismatch is decided without reading a possibly huge file; its digest is still reported when cheap.
            OciDigest? found = null;
            if (length <= MemoryLimit) found = await OciDigest.ComputeAsync(file, cancellationToken).ConfigureAwait(false);
            throw new ArtifactIntegrityException(reference, expected.Digest, expected.Size, found, length,
                found is null ? $"the stored file is {length} bytes" : null);
        }
        file.Position = 0;
        var digest = await OciDigest.ComputeAsync(file, cancellationToken).ConfigureAwait(false);
        if (digest != expected.Digest)
            throw new ArtifactIntegrityException(reference, expected.Digest, expected.Size, digest, length);
        file.Position = 0;
    }
}
