using Arc.Datasets;
using Arc.Tracking;
using Arc.Tracking.Server;

namespace Arc.Models;

/// <summary>
/// Where a model version's two files are: a published folder, or a version registered in tracking (its files are
/// blobs there). Loading reads meta.json, then the weights into a local file, and checks them against meta.json.
/// </summary>
internal abstract class ModelVersionSource : IDisposable
{
    /// <summary>Releases the source's client, if it has one.</summary>
    public virtual void Dispose()
    {
    }

    /// <summary>Names the version in messages.</summary>
    public abstract string Description { get; }

    public abstract Task<ModelVersionMetadata> ReadMetadataAsync(CancellationToken cancellationToken);

    /// <summary>The weights as a local file that <paramref name="scratch"/> may hold (a download) or the published file itself.</summary>
    public abstract Task<string> WeightsFileAsync(ModelVersionMetadata meta, string scratch, CancellationToken cancellationToken);
}

/// <summary>A published version's folder.</summary>
internal sealed class FolderSource(string folder) : ModelVersionSource
{
    public string Folder => folder;

    public override string Description => folder;

    public override Task<ModelVersionMetadata> ReadMetadataAsync(CancellationToken cancellationToken)
        => ModelMetaJson.ReadAsync(Path.Combine(folder, ModelMetaJson.FileName), cancellationToken);

    public override Task<string> WeightsFileAsync(ModelVersionMetadata meta, string scratch, CancellationToken cancellationToken)
    {
        // Only the name Arc writes: a forged path in meta.json never reaches the file system.
        if (meta.Weights.Path != ModelVersionPublisher.WeightsFile)
            throw new ModelVersionFormatException(Path.Combine(folder, ModelMetaJson.FileName),
                $"weights.path is '{meta.Weights.Path}'; a model version's weights are {ModelVersionPublisher.WeightsFile}");
        string path = Path.Combine(folder, ModelVersionPublisher.WeightsFile);
        if (!File.Exists(path)) throw new ModelVersionFormatException(path, $"is missing; meta.json lists it ({meta.Weights.Bytes} bytes)");
        return Task.FromResult(path);
    }
}

/// <summary>A version registered in tracking by <see cref="ModelVersion.PublishAsync{X, Y}"/>: meta.json and the weights are its files.</summary>
internal sealed class TrackingSource(TrackingConnection connection, Tracking.ModelVersion version) : ModelVersionSource
{
    public override string Description => $"model version {version.Version} ({version.Id}) in {connection.Destination}";

    public override async Task<ModelVersionMetadata> ReadMetadataAsync(CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await DownloadAsync(ModelMetaJson.FileName, buffer, cancellationToken).ConfigureAwait(false);
        return ModelMetaJson.Parse($"{Description}: {ModelMetaJson.FileName}", buffer.ToArray());
    }

    public override async Task<string> WeightsFileAsync(ModelVersionMetadata meta, string scratch, CancellationToken cancellationToken)
    {
        string path = Path.Combine(scratch, ModelVersionPublisher.WeightsFile);
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        await using (file.ConfigureAwait(false))
            await DownloadAsync(ModelVersionPublisher.WeightsFile, file, cancellationToken).ConfigureAwait(false);
        return path;
    }

    private async Task DownloadAsync(string name, Stream destination, CancellationToken cancellationToken)
    {
        var owner = FileOwner.ModelVersion(version.Id);
        if (connection.Store is TrackingServerClient server)
        {
            await server.DownloadFileAsync(owner, name, destination, cancellationToken).ConfigureAwait(false);
            return;
        }
        var files = await connection.Store.ListFilesAsync(owner, cancellationToken).ConfigureAwait(false);
        var file = files.Select(f => f.File).FirstOrDefault(f => f.Name == name)
            ?? throw new ModelVersionFormatException($"{Description}: {name}",
                $"is not one of the version's files ({string.Join(", ", files.Select(f => f.File.Name))}); was it registered by ModelVersion.PublishAsync?");
        var blobs = connection.Blobs ?? throw new InvalidOperationException($"{connection.Destination} keeps no blobs this process can read");
        var blob = await blobs.OpenReadAsync(file.Sha256, cancellationToken).ConfigureAwait(false);
        await using (blob.ConfigureAwait(false))
            await blob.CopyToAsync(destination, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>
/// A version in a remote destination (<c>s3://</c>, <c>oci://</c>): meta.json is read into memory (size-limited), the
/// weights are downloaded exactly as long as meta.json says and then hash-checked like a folder's.
/// </summary>
internal sealed class RemoteSource(RemoteVersion remote) : ModelVersionSource
{
    public override string Description => remote.Uri;

    public override async Task<ModelVersionMetadata> ReadMetadataAsync(CancellationToken cancellationToken)
    {
        var bytes = await remote.ReadSmallAsync(ModelMetaJson.FileName, RemoteTransfer.MaxMetaBytes, FormatError, cancellationToken).ConfigureAwait(false)
                    ?? throw new DirectoryNotFoundException($"there is no model version at {remote.Uri}: it has no {ModelMetaJson.FileName}");
        return ModelMetaJson.Parse($"{remote.Uri}/{ModelMetaJson.FileName}", bytes);
    }

    public override async Task<string> WeightsFileAsync(ModelVersionMetadata meta, string scratch, CancellationToken cancellationToken)
    {
        // Only the name Arc writes: a forged name in meta.json never becomes a key, a layer title or a local path.
        if (meta.Weights.Path != ModelVersionPublisher.WeightsFile)
            throw new ModelVersionFormatException($"{remote.Uri}/{ModelMetaJson.FileName}",
                $"weights.path is '{meta.Weights.Path}'; a model version's weights are {ModelVersionPublisher.WeightsFile}");
        string path = Path.Combine(scratch, ModelVersionPublisher.WeightsFile);
        await remote.DownloadAsync(ModelVersionPublisher.WeightsFile, meta.Weights.Bytes, path, FormatError, cancellationToken).ConfigureAwait(false);
        return path;
    }

    public override void Dispose() => remote.Dispose();

    private static Exception FormatError(string file, string problem) => new ModelVersionFormatException(file, problem);
}
