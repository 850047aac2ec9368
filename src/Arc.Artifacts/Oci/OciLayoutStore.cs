using System.Security.Cryptography;
using System.Text.Json;

namespace Arc.Artifacts;

/// <summary>
/// An OCI image layout directory as an artifact store (the embedded default: no server needed): an
/// <c>oci-layout</c> file, an <c>index.json</c> whose entries carry their tag in
/// <c>org.opencontainers.image.ref.name</c>, and blobs (manifests included) under <c>blobs/sha256/&lt;hex&gt;</c>.
/// Every file is written to a temporary file in <c>.tmp/</c>, flushed to disk and renamed into place, and the
/// directory is flushed after the rename (<see cref="DurableFile"/>), so a reader never sees half a blob, concurrent
/// pushes of the same blob are harmless, and a push that returned survives a crash or power cut. Index updates are
/// serialized by a lock file (<c>index.json.lock</c>) across threads and processes. Every read is verified against
/// its digest. Temporary files name their writer (<see cref="OwnerStamp"/>); opening the store removes those whose
/// writer is dead.
/// </summary>
public sealed partial class OciLayoutStore : IArtifactStore
{
    const string LayoutFileName = "oci-layout";
    const string IndexFileName = "index.json";
    const int MaxIndexSize = 64 * 1024 * 1024;
    static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a dead writer's temporary file must have been left untouched before it is removed: a writer in another
    /// pid namespace (a container sharing the layout) looks dead from here but keeps its file fresh while it writes.
    /// </summary>
    internal static readonly TimeSpan DeadWriterIdle = TimeSpan.FromMinutes(1);

    /// <summary>Temporary files without an owner stamp (written before stamps) are removed after this long untouched.</summary>
    internal static readonly TimeSpan UnownedTempIdle = TimeSpan.FromHours(1);

    /// <summary>
    /// Opens (without creating: the first push does) the layout in <paramref name="directory"/>, removing temporary
    /// files that killed writers left in its <c>.tmp/</c> (best effort: a read-only layout opens all the same).
    /// </summary>
    public OciLayoutStore(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Repository = ArtifactReference.ForLayout(directory);
        Root = Path.GetFullPath(directory);
        SweptTemporaries = OwnedNames.SweepDead(TempDirectory, "", DeadWriterIdle, UnownedTempIdle);
    }

    /// <summary>The temporary files of dead writers that opening this store removed (for tests and diagnostics).</summary>
    internal IReadOnlyList<string> SweptTemporaries { get; }

    /// <inheritdoc/>
    public ArtifactReference Repository { get; }

    /// <summary>The layout's absolute directory.</summary>
    public string Root { get; }

    string BlobDirectory => Path.Combine(Root, "blobs", OciDigest.Sha256);
    string TempDirectory => Path.Combine(Root, ".tmp");
    string IndexPath => Path.Combine(Root, IndexFileName);

    /// <summary>Where the blob <paramref name="digest"/> lives (the digest's fixed hex form keeps it inside the layout).</summary>
    public string BlobPath(OciDigest digest) => Path.Combine(BlobDirectory, digest.Hex);

    /// <inheritdoc/>
    public Task<bool> HasBlobAsync(OciDigest digest, CancellationToken cancellationToken = default)
        => Task.FromResult(File.Exists(BlobPath(digest)));

    /// <inheritdoc/>
    public async Task PushBlobAsync(OciDescriptor descriptor, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(content);
        await EnsureLayoutAsync(cancellationToken).ConfigureAwait(false);
        string temp = NewTempPath();
        try
        {
            var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var chunk = new byte[81920];
                long total = 0;
                int read;
                while ((read = await content.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, descriptor.Size + 1 - total)), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    total += read;
                    if (total > descriptor.Size)
                        throw new ArtifactIntegrityException(BlobName(descriptor.Digest), descriptor.Digest, descriptor.Size, null, total, "the pushed content is longer than its descriptor says");
                    hash.AppendData(chunk, 0, read);
                    await file.WriteAsync(chunk.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
                var found = OciDigest.FromHash(hash.GetHashAndReset());
                if (total != descriptor.Size || found != descriptor.Digest)
                    throw new ArtifactIntegrityException(BlobName(descriptor.Digest), descriptor.Digest, descriptor.Size, found, total, "the pushed content does not match its descriptor");
                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                // The data reaches the disk before the name does: a crash must not leave a blob's name on a short file.
                file.Flush(flushToDisk: true);
            }
            // Rename is atomic: a concurrent push of the same blob renames identical bytes over it.
            DurableFile.Publish(temp, BlobPath(descriptor.Digest), overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <inheritdoc/>
    public async Task<OciDigest> PushManifestAsync(ReadOnlyMemory<byte> manifest, string? tag, CancellationToken cancellationToken = default)
    {
        if (tag is not null && ArtifactReferenceGrammar.CheckTag(tag) is { } tagError) throw new ArgumentException(tagError, nameof(tag));
        var digest = OciDigest.Compute(manifest.Span);
        string name = tag is null ? Repository.WithDigest(digest).ToString() : Repository.WithTag(tag).ToString();
        var parsed = OciManifest.Parse(manifest.Span, name);
        foreach (var blob in parsed.Blobs)
            if (!File.Exists(BlobPath(blob.Digest)))
                throw new ArtifactNotFoundException(name, $"cannot store the manifest of {name}: its blob {blob.Digest} ({blob.Title ?? blob.MediaType}) is not in the layout; push blobs first");
        var descriptor = new OciDescriptor(OciMediaTypes.ImageManifest, digest, manifest.Length, null, parsed.ArtifactType);
        using (var stream = new MemoryStream(manifest.ToArray(), writable: false))
            await PushBlobAsync(descriptor, stream, cancellationToken).ConfigureAwait(false);
        if (tag is not null) await TagAsync(descriptor, tag, cancellationToken).ConfigureAwait(false);
        return digest;
    }

    async Task TagAsync(OciDescriptor manifest, string tag, CancellationToken cancellationToken)
    {
        using var gate = await LayoutLock.AcquireAsync(Path.Combine(Root, IndexFileName + ".lock"), LockTimeout, cancellationToken).ConfigureAwait(false);
        var entries = await ReadIndexAsync(cancellationToken).ConfigureAwait(false);
        entries.RemoveAll(entry => entry.Annotations.TryGetValue(OciAnnotations.RefName, out var name) && name == tag);
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal) { [OciAnnotations.RefName] = tag };
        entries.Add(new OciDescriptor(manifest.MediaType, manifest.Digest, manifest.Size, annotations, manifest.ArtifactType));
        WriteAtomically(IndexPath, OciJson.WriteIndex(entries));
    }

    /// <inheritdoc/>
    public async Task<OciDigest> ResolveAsync(string tag, CancellationToken cancellationToken = default)
        => (await FindTagAsync(tag, cancellationToken).ConfigureAwait(false)).Digest;

    async Task<OciDescriptor> FindTagAsync(string tag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tag);
        if (ArtifactReferenceGrammar.CheckTag(tag) is { } tagError) throw new ArgumentException(tagError, nameof(tag));
        string name = Repository.WithTag(tag).ToString();
        RequireLayout(name);
        var entries = await ReadIndexAsync(cancellationToken).ConfigureAwait(false);
        // The last entry wins, as a tag moved by a later push would be appended last.
        return entries.LastOrDefault(entry => entry.Annotations.TryGetValue(OciAnnotations.RefName, out var refName) && refName == tag)
               ?? throw new ArtifactNotFoundException(name, $"no artifact is tagged '{tag}' in the OCI layout {Root} (index.json has no such org.opencontainers.image.ref.name)");
    }

    /// <inheritdoc/>
    public async Task<PulledManifest> PullManifestAsync(string tagOrDigest, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tagOrDigest);
        OciDigest digest;
        long? size = null;
        string name;
        if (tagOrDigest.Contains(':'))
        {
            digest = OciDigest.Parse(tagOrDigest);
            name = Repository.WithDigest(digest).ToString();
            RequireLayout(name);
        }
        else
        {
            var entry = await FindTagAsync(tagOrDigest, cancellationToken).ConfigureAwait(false);
            digest = entry.Digest;
            size = entry.Size;
            name = Repository.WithTag(tagOrDigest).ToString();
        }
        byte[] bytes;
        try
        {
            var file = ArtifactContent.OpenFile(BlobPath(digest));
            await using var fileDisposal = file.ConfigureAwait(false);
            bytes = await VerifiedContent.ReadBoundedAsync(file, VerifiedContent.MaxManifestSize, name, "manifest", cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException e)
        {
            throw new ArtifactNotFoundException(name, $"the manifest {digest} of {name} is not in the OCI layout {Root}", e);
        }
        VerifiedContent.Verify(bytes, new OciDescriptor(OciMediaTypes.ImageManifest, digest, size ?? bytes.Length), name);
        return new PulledManifest(Repository.WithDigest(digest), digest, bytes, OciManifest.Parse(bytes, name));
    }

    /// <inheritdoc/>
    public async Task<Stream> OpenBlobAsync(OciDescriptor descriptor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        string name = BlobName(descriptor.Digest);
        FileStream file;
        try
        {
            file = ArtifactContent.OpenFile(BlobPath(descriptor.Digest));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ArtifactNotFoundException(name, $"the blob {descriptor.Digest} is not in the OCI layout {Root}", e);
        }
        try
        {
            // The handle that was verified is the one handed out: a blob renamed over meanwhile cannot slip in.
            await VerifiedContent.VerifyFileAsync(file, descriptor, name, cancellationToken).ConfigureAwait(false);
            return new ReadOnlyStream(file);
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> ListTagsAsync(CancellationToken cancellationToken = default)
    {
        if (!File.Exists(Path.Combine(Root, LayoutFileName))) return [];
        var entries = await ReadIndexAsync(cancellationToken).ConfigureAwait(false);
        return entries.Select(entry => entry.Annotations.GetValueOrDefault(OciAnnotations.RefName))
            .OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();
    }

    string BlobName(OciDigest digest) => Repository.WithDigest(digest).ToString();

    async Task<List<OciDescriptor>> ReadIndexAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(IndexPath)) return [];
        var file = ArtifactContent.OpenFile(IndexPath);
        await using var fileDisposal = file.ConfigureAwait(false);
        var bytes = await VerifiedContent.ReadBoundedAsync(file, MaxIndexSize, IndexPath, "index.json", cancellationToken).ConfigureAwait(false);
        return OciJson.ReadIndex(bytes, IndexPath);
    }

    void RequireLayout(string name)
    {
        string layoutFile = Path.Combine(Root, LayoutFileName);
        if (!File.Exists(layoutFile))
            throw new ArtifactNotFoundException(name, $"there is no OCI image layout at {Root} (no '{LayoutFileName}' file)");
        CheckLayoutVersion(layoutFile);
    }

    static void CheckLayoutVersion(string layoutFile)
    {
        string problem = "it must be {\"imageLayoutVersion\":\"1.0.0\"}";
        try
        {
            if (new FileInfo(layoutFile).Length <= 4096)
            {
                using var document = JsonDocument.Parse(File.ReadAllBytes(layoutFile));
                if (document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("imageLayoutVersion", out var version)
                    && version.ValueKind == JsonValueKind.String && version.GetString() == "1.0.0")
                    return;
            }
        }
        catch (JsonException e)
        {
            throw new ArtifactFormatException(layoutFile, problem, e);
        }
        throw new ArtifactFormatException(layoutFile, problem);
    }

    async Task EnsureLayoutAsync(CancellationToken cancellationToken)
    {
        // Durably: a blob published into a folder whose own name was lost in a crash would be lost with it.
        DurableFile.CreateDirectory(BlobDirectory);
        DurableFile.CreateDirectory(TempDirectory);
        string layoutFile = Path.Combine(Root, LayoutFileName);
        if (File.Exists(layoutFile))
        {
            CheckLayoutVersion(layoutFile);
            return;
        }
        // The empty index is written under the index lock: a tag written meanwhile by another push must not be
        // replaced by an empty index created from an earlier look.
        using (await LayoutLock.AcquireAsync(Path.Combine(Root, IndexFileName + ".lock"), LockTimeout, cancellationToken).ConfigureAwait(false))
        {
            if (!File.Exists(IndexPath))
                WriteAtomically(IndexPath, OciJson.WriteIndex([]), overwrite: false);
        }
        WriteAtomically(layoutFile, "{\"imageLayoutVersion\":\"1.0.0\"}"u8.ToArray(), overwrite: false);
    }

    void WriteAtomically(string path, byte[] bytes, bool overwrite = true)
    {
        string temp = NewTempPath();
        try
        {
            DurableFile.WriteNew(temp, bytes);
            // With overwrite false, another writer may have created it first; theirs is as good as ours.
            DurableFile.Publish(temp, path, overwrite);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Nothing to release: the layout store holds no open files between calls.</summary>
    public void Dispose() { }

    // Named after this process, so that a later open can tell a killed writer's file from a running one's.
    string NewTempPath() => Path.Combine(TempDirectory, OwnedNames.New(""));
}
