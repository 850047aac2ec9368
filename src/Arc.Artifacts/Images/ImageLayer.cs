using System.IO.Compression;

namespace Arc.Artifacts;

/// <summary>
/// One written layer: a gzip-compressed tar in a file, its descriptor (digest and size of the compressed bytes), and
/// its diff id (digest of the uncompressed tar, what the image config lists in <c>rootfs.diff_ids</c>).
/// </summary>
/// <param name="Name">What the layer holds (from <see cref="LayerContent.Name"/>).</param>
/// <param name="Descriptor">The compressed layer blob (<see cref="OciImageMediaTypes.LayerTarGzip"/>).</param>
/// <param name="DiffId">The digest of the uncompressed tar.</param>
/// <param name="UncompressedSize">The tar's length in bytes.</param>
/// <param name="EntryCount">How many tar entries (files and directories) it holds.</param>
/// <param name="FilePath">The compressed layer on this machine.</param>
public sealed record ImageLayer(string Name, OciDescriptor Descriptor, OciDigest DiffId, long UncompressedSize, int EntryCount, string FilePath)
{
    /// <summary>
    /// Writes <paramref name="content"/> as a tar, gzip-compressed at <paramref name="level"/>, into
    /// <paramref name="directory"/> (a file named after the layer), hashing both forms in the same pass.
    /// Equal content and level give byte-equal files, hence equal digests.
    /// </summary>
    public static async Task<ImageLayer> WriteAsync(LayerContent content, string directory, CompressionLevel level = CompressionLevel.Optimal,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, content.Name + ".tar.gz");
        byte[] diffId;
        long uncompressed;
        byte[] compressedDigest;
        long compressed;
        var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        await using (file.ConfigureAwait(false))
        {
            using var compressedHash = new HashingWriteStream(file, leaveOpen: true);
            using (var gzip = new GZipStream(compressedHash, level, leaveOpen: true))
            using (var tarHash = new HashingWriteStream(gzip, leaveOpen: true))
            {
                await DeterministicTar.WriteAsync(content.Entries, tarHash, cancellationToken).ConfigureAwait(false);
                diffId = tarHash.Finish();
                uncompressed = tarHash.BytesWritten;
            }
            compressedDigest = compressedHash.Finish();
            compressed = compressedHash.BytesWritten;
        }
        var descriptor = new OciDescriptor(OciImageMediaTypes.LayerTarGzip, OciDigest.FromHash(compressedDigest), compressed);
        return new ImageLayer(content.Name, descriptor, OciDigest.FromHash(diffId), uncompressed, content.Entries.Count, path);
    }
}
