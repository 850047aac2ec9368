using Arc.Artifacts;

namespace Arc.Datasets;

/// <summary>
/// A version as one OCI artifact, <c>&lt;repository&gt;/&lt;name&gt;:&lt;version&gt;</c>: each file a layer titled
/// with its relative path. The store verifies every blob against its digest; meta.json's SHA-256s are checked after.
/// </summary>
internal sealed class OciRemoteVersion : RemoteVersion
{
    /// <summary>The media type of a version's files (what they hold is in meta.json).</summary>
    public const string FileMediaType = "application/vnd.arc.version.file.v1";

    private readonly IArtifactStore _store;
    private readonly ArtifactReference _reference;
    private PulledManifest? _manifest;

    private OciRemoteVersion(IArtifactStore store, ArtifactReference reference)
    {
        _store = store;
        _reference = reference;
    }

    public static OciRemoteVersion Open(ArtifactReference reference, VersionStorageOptions? options)
        => new(ArtifactStores.Open(reference, options?.Registry), reference);

    public override string Uri => VersionLocation.OciScheme + _reference;

    public override async Task<bool> ExistsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _store.ResolveAsync(_reference.Tag!, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ArtifactNotFoundException)
        {
            return false;
        }
    }

    public override async Task PublishAsync(string folder, IReadOnlyList<string> files, string artifactType, Func<Exception> exists, CancellationToken cancellationToken)
    {
        var content = new ArtifactContent(artifactType);
        foreach (string file in files) content.AddFileLayer(file, FileMediaType, Path.Combine(folder, file));
        var prepared = await content.PrepareAsync(cancellationToken).ConfigureAwait(false);
        // Blobs first, the tag last: until the tag is pushed no version is visible. The registry has no "create only"
        // for tags, so the check just before is what keeps a version from being replaced (docs/datasets.md).
        if (await ExistsAsync(cancellationToken).ConfigureAwait(false)) throw exists();
        await _store.PushAsync(prepared, _reference.Tag!, cancellationToken).ConfigureAwait(false);
    }

    public override async Task<byte[]?> ReadSmallAsync(string file, int maxBytes, Func<string, string, Exception> formatError, CancellationToken cancellationToken)
    {
        if (await LayerAsync(file, cancellationToken).ConfigureAwait(false) is not { } layer) return null;
        if (layer.Size > maxBytes) throw formatError($"{Uri}/{file}", $"is {layer.Size} bytes, more than the {maxBytes} such a file may have");
        return await _store.ReadBlobAsync(layer, maxBytes, cancellationToken).ConfigureAwait(false);
    }

    public override async Task DownloadAsync(string file, long bytes, string path, Func<string, string, Exception> formatError, CancellationToken cancellationToken)
    {
        var layer = await LayerAsync(file, cancellationToken).ConfigureAwait(false)
                    ?? throw formatError($"{Uri}/{file}", "is missing: the artifact has no layer of that title; meta.json lists it");
        if (layer.Size != bytes) throw formatError($"{Uri}/{file}", $"is {layer.Size} bytes, but meta.json says {bytes}");
        var blob = await _store.OpenBlobAsync(layer, cancellationToken).ConfigureAwait(false);
        await using (blob.ConfigureAwait(false))
        {
            var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            await using (target.ConfigureAwait(false))
                await blob.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The layer titled <paramref name="file"/>, or null; null too when there is no such version (no tag).</summary>
    private async Task<OciDescriptor?> LayerAsync(string file, CancellationToken cancellationToken)
    {
        if (_manifest is null)
        {
            try { _manifest = await _store.PullManifestAsync(_reference.Tag!, cancellationToken).ConfigureAwait(false); }
            catch (ArtifactNotFoundException) { return null; }
        }
        return _manifest.Manifest.FindLayer(file);
    }

    public override void Dispose() => _store.Dispose();
}
