using System.Security.Cryptography;
using Arc.Datasets;
using Arc.Sdk;
using Arc.Tracking;
using Arc.Tracking.Server;
using Arc.Types;

namespace Arc.Models;

/// <summary>
/// Publishes trained models as versions tied to the dataset version they saw, and loads them back (docs/finder.md).
/// A version is a folder <c>&lt;destination&gt;/&lt;model&gt;/&lt;version&gt;/</c> with <c>model.weights</c> and
/// <c>meta.json</c>; with a tracking destination it is also a version of the registered model there, with lineage to
/// the dataset and both files attached.
/// </summary>
/// <remarks>
/// Arc.Tracking has a record of the same name (<see cref="Tracking.ModelVersion"/>, a registered version); a file that
/// uses both namespaces names one of them in full.
/// </remarks>
public static class ModelVersion
{
    /// <summary>
    /// Publishes <paramref name="model"/>, trained on <paramref name="dataset"/>: writes its weights and a meta.json
    /// (model hash, time, hyperparameters, the history per epoch, the evaluation, the dataset's name, version and hash,
    /// its processor, the X/Y types, and summary statistics of the dataset's train split for the Finder) atomically
    /// into <c>&lt;destination&gt;/&lt;model name&gt;/&lt;version&gt;/</c>; then, when
    /// <see cref="ModelPublishOptions.Tracking"/> or <c>ARC_TRACKING_URI</c> names a destination, registers it there.
    /// </summary>
    /// <param name="destination">
    /// A local folder (a path or <c>file://</c> URI) that holds model versions, <c>s3://bucket/prefix</c> (objects
    /// <c>prefix/&lt;model&gt;/&lt;version&gt;/…</c>) or <c>oci://host/repository</c> (the artifact
    /// <c>host/repository/&lt;model&gt;:&lt;version&gt;</c>); a remote version is staged in a local temporary folder and sent
    /// with meta.json last (docs/finder.md, "Destinations"). <see cref="ModelPublishOptions.Storage"/> says how it is reached.
    /// </param>
    /// <param name="model">The trained model: an object, a deployed client or a worker model (its weights are read through <c>SaveWeightsAsync</c>).</param>
    /// <param name="dataset">The dataset version it was trained on; its train split is summarised (read once more, a batch at a time).</param>
    /// <param name="history">The training history; null for none.</param>
    /// <param name="evaluation">An evaluation of the model to keep with it; null for none.</param>
    /// <param name="tags">Tags (labels of the registered version); null for none.</param>
    /// <param name="options">The version's name, the tracking destination, hyperparameters; defaults when null.</param>
    /// <param name="cancellationToken">Stops publishing; nothing is left visible.</param>
    /// <exception cref="ModelVersionExistsException">The version is published already.</exception>
    /// <exception cref="ArgumentException">An invalid model or version name, or a dataset without a train split.</exception>
    /// <exception cref="ModelRegistrationException">The version was published but could not be registered in tracking.</exception>
    public static async Task<PublishedModelVersion> PublishAsync<X, Y>(string destination, ISupervisedModel<X, Y> model, DatasetVersion<X, Y> dataset,
        TrainingHistory? history = null, EvalReport? evaluation = null, IEnumerable<string>? tags = null, ModelPublishOptions? options = null,
        CancellationToken cancellationToken = default)
        where X : IArcData<X>
        where Y : IArcData<Y>
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(dataset);
        options ??= new ModelPublishOptions();
        var tagList = (tags ?? []).ToArray();
        string? tracking = options.Tracking
            ?? (Environment.GetEnvironmentVariable(TrackingDestination.EnvironmentVariable) is { Length: > 0 } env ? env : null);
        if (tracking is not null)
        {
            // A bad destination or a tag that cannot be a label is refused before anything is written.
            TrackingDestination.Parse(tracking);
            foreach (string tag in tagList) TrackingNames.Key(tag, nameof(tags), "tag");
        }

        var location = VersionLocation.Parse(destination, "model version");
        if (location is VersionLocation.Folder local)
        {
            var (folder, meta) = await ModelVersionPublisher.PublishAsync(local.Path, model, dataset, history, evaluation, tagList, options, cancellationToken).ConfigureAwait(false);
            return await RegisterAsync(tracking, folder, folder, meta, options, cancellationToken).ConfigureAwait(false);
        }

        // A remote version is published into a local staging folder (the same files, the same hash), sent with meta.json
        // last, and registered from the staged files.
        options = options with { Version = ModelVersionPublisher.VersionOf(options) };
        VersionLocation.CheckName(model.Name, "model name");
        VersionLocation.CheckName(options.Version, "version");
        using var remote = RemoteVersion.ForPublish(location, model.Name, options.Version, options.Storage);
        if (await remote.ExistsAsync(cancellationToken).ConfigureAwait(false)) throw new ModelVersionExistsException(remote.Uri);
        string staging = RemoteTransfer.CreateLocalFolder();
        try
        {
            var (folder, meta) = await ModelVersionPublisher.PublishAsync(staging, model, dataset, history, evaluation, tagList, options, cancellationToken).ConfigureAwait(false);
            await RemoteTransfer.PublishAsync(remote, folder, ArtifactType, () => new ModelVersionExistsException(remote.Uri), cancellationToken).ConfigureAwait(false);
            return await RegisterAsync(tracking, remote.Uri, folder, meta, options, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            RemoteTransfer.DeleteLocalFolder(staging);
        }
    }

    /// <summary>The artifact type of a model version in an OCI registry.</summary>
    internal const string ArtifactType = "application/vnd.arc.model-version.v1";

    private static async Task<PublishedModelVersion> RegisterAsync(string? tracking, string location, string folder, ModelVersionMetadata meta, ModelPublishOptions options,
        CancellationToken cancellationToken)
    {
        if (tracking is null) return new PublishedModelVersion(location, meta, null);
        try
        {
            var registered = await TrackingRegistration.RegisterAsync(tracking, folder, meta, options, cancellationToken).ConfigureAwait(false);
            return new PublishedModelVersion(location, meta, registered);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new ModelRegistrationException(location, tracking, e);
        }
    }

    /// <summary>Reads the meta.json of the version at <paramref name="uri"/> (see <see cref="LoadAsync{X, Y}(string, ISupervisedModel{X, Y}, IDatasetProcessor?, VersionStorageOptions?, CancellationToken)"/>) without checking its weights.</summary>
    /// <exception cref="ModelVersionFormatException">meta.json is missing, not JSON, of an unknown format version, or lacks a member.</exception>
    /// <exception cref="DirectoryNotFoundException">There is no version at <paramref name="uri"/>.</exception>
    public static async Task<ModelVersionMetadata> ReadMetadataAsync(string uri, VersionStorageOptions? storage = null, CancellationToken cancellationToken = default)
    {
        using var source = SourceOf(uri, storage);
        return await source.ReadMetadataAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the meta.json of a version registered by <see cref="PublishAsync{X, Y}"/> in tracking.</summary>
    /// <exception cref="ModelVersionFormatException">The version has no meta.json, or it is not one.</exception>
    public static Task<ModelVersionMetadata> ReadMetadataAsync(TrackingConnection connection, Tracking.ModelVersion version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(version);
        return new TrackingSource(connection, version).ReadMetadataAsync(cancellationToken);
    }

    /// <summary>
    /// Loads the version in <paramref name="uri"/> into <paramref name="model"/>: checks that its X/Y types are the model's,
    /// that <paramref name="processor"/> (when given) is the one its dataset was made with, and that the weights have the
    /// size and SHA-256 meta.json recorded; then replaces the model's weights.
    /// </summary>
    /// <param name="uri">
    /// The version's folder (a path or <c>file://</c> URI), <c>s3://bucket/prefix/&lt;model&gt;/&lt;version&gt;</c> or
    /// <c>oci://host/repository/&lt;model&gt;:&lt;version&gt;</c> (its weights are downloaded to a temporary file and checked).
    /// </param>
    /// <param name="model">A model of the version's type, made with its hyperparameters (<see cref="ModelVersionMetadata.Hyperparameters"/>).</param>
    /// <param name="processor">The processor new raw data will go through before the model sees it; null to skip the check.</param>
    /// <param name="storage">How a remote version is reached; null: from the environment (<see cref="VersionStorageOptions"/>).</param>
    /// <param name="cancellationToken">Stops loading.</param>
    /// <returns>The version's metadata.</returns>
    /// <exception cref="ProcessorMismatchException">The processor is of another type, or fitted on other data, than the dataset's.</exception>
    /// <exception cref="ModelHashMismatchException">The weights changed after publishing.</exception>
    /// <exception cref="InvalidOperationException">The version holds another X/Y than the model's.</exception>
    public static async Task<ModelVersionMetadata> LoadAsync<X, Y>(string uri, ISupervisedModel<X, Y> model, IDatasetProcessor? processor = null,
        VersionStorageOptions? storage = null, CancellationToken cancellationToken = default)
        where X : IArcData<X>
        where Y : IArcData<Y>
    {
        using var source = SourceOf(uri, storage);
        return await LoadAsync(source, model, processor, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Loads a version registered in tracking into <paramref name="model"/>, with the checks of <see cref="LoadAsync{X, Y}(string, ISupervisedModel{X, Y}, IDatasetProcessor?, VersionStorageOptions?, CancellationToken)"/>.</summary>
    public static Task<ModelVersionMetadata> LoadAsync<X, Y>(TrackingConnection connection, Tracking.ModelVersion version, ISupervisedModel<X, Y> model,
        IDatasetProcessor? processor = null, CancellationToken cancellationToken = default)
        where X : IArcData<X>
        where Y : IArcData<Y>
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(version);
        return LoadAsync(new TrackingSource(connection, version), model, processor, cancellationToken);
    }

    /// <summary>
    /// Checks that <paramref name="processor"/> belongs to the dataset <paramref name="metadata"/>'s model was trained on:
    /// the same processor type, and a fitted state whose SHA-256 is that of the dataset's <c>processor.arc</c> (which the
    /// dataset's content hash covers).
    /// </summary>
    /// <exception cref="ProcessorMismatchException">It does not; the message says how it differs.</exception>
    public static async Task CheckProcessorAsync(ModelVersionMetadata metadata, IDatasetProcessor processor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(processor);
        var dataset = metadata.Dataset;
        string model = $"model {metadata.Name}:{metadata.Version}";
        string trainedOn = $"dataset {dataset.Name}:{dataset.Version} (hash sha256:{dataset.Hash})";
        if (dataset.Processor is null)
            throw new ProcessorMismatchException($"{model} was trained on {trainedOn}, which was published without a processor; a {processor.TypeName} does not belong to it");
        if (processor.TypeName != dataset.Processor)
            throw new ProcessorMismatchException($"{model} was trained on {trainedOn}, made by a {dataset.Processor}; the processor given is a {processor.TypeName}");
        string state;
        using (var buffer = new HashingStream())
        {
            await processor.WriteStateAsync(buffer, cancellationToken).ConfigureAwait(false);
            state = buffer.Sha256();
        }
        if (state != dataset.ProcessorStateSha256)
            throw new ProcessorMismatchException(
                $"{model} was trained on {trainedOn}, whose {dataset.Processor} state has SHA-256 {dataset.ProcessorStateSha256}; the processor given " +
                $"has state {state}: it was fitted on other data, so what it makes is not what the model learned from. Open the processor of {dataset.Name}:{dataset.Version}");
    }

    internal static async Task<ModelVersionMetadata> LoadAsync<X, Y>(ModelVersionSource source, ISupervisedModel<X, Y> model, IDatasetProcessor? processor,
        CancellationToken cancellationToken)
        where X : IArcData<X>
        where Y : IArcData<Y>
    {
        ArgumentNullException.ThrowIfNull(model);
        var meta = await source.ReadMetadataAsync(cancellationToken).ConfigureAwait(false);
        if (meta.X.Type != X.WireTag || meta.Y.Type != Y.WireTag)
            throw new InvalidOperationException(
                $"{source.Description}: model {meta.Name}:{meta.Version} takes {meta.X.Type} → {meta.Y.Type}; it cannot be loaded into {model.Name} ({X.WireTag} → {Y.WireTag})");
        if (processor is not null) await CheckProcessorAsync(meta, processor, cancellationToken).ConfigureAwait(false);
        string scratch = Directory.CreateTempSubdirectory("arc-model-").FullName;
        try
        {
            string weights = await source.WeightsFileAsync(meta, scratch, cancellationToken).ConfigureAwait(false);
            var (bytes, sha256) = await ModelVersionPublisher.HashFileAsync(weights, cancellationToken).ConfigureAwait(false);
            if (bytes != meta.Weights.Bytes || sha256 != meta.Weights.Sha256)
                throw new ModelHashMismatchException(source is FolderSource ? weights : $"{source.Description}/{ModelVersionPublisher.WeightsFile}",
                    $"is {bytes} bytes with SHA-256 {sha256}, but meta.json recorded {meta.Weights.Bytes} bytes with {meta.Weights.Sha256}: the weights changed after publishing");
            var file = new FileStream(weights, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
                await model.LoadWeightsAsync(file, cancellationToken).ConfigureAwait(false);
            return meta;
        }
        finally
        {
            try { Directory.Delete(scratch, recursive: true); }
            catch (IOException) { /* a temporary folder; the OS cleans it */ }
        }
    }

    /// <summary>
    /// The source of the version at <paramref name="uri"/>: its folder, or the remote version (dispose it). A missing
    /// folder is an error only when <paramref name="mustExist"/>: the Finder reports an unreadable candidate instead.
    /// </summary>
    internal static ModelVersionSource SourceOf(string uri, VersionStorageOptions? storage, bool mustExist = true)
    {
        var location = VersionLocation.Parse(uri, "model version");
        if (location is not VersionLocation.Folder local) return new RemoteSource(RemoteVersion.ForOpen(location, storage));
        return Directory.Exists(local.Path) || !mustExist ? new FolderSource(local.Path) : throw new DirectoryNotFoundException($"there is no model version at {local.Path}: the folder does not exist");
    }

    /// <summary>A write-only stream that hashes what it is given (a processor's state is hashed, never kept).</summary>
    private sealed class HashingStream : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public string Sha256() => Convert.ToHexStringLower(_hash.GetHashAndReset());

        public override void Write(byte[] buffer, int offset, int count) => _hash.AppendData(buffer, offset, count);
        public override void Write(ReadOnlySpan<byte> buffer) => _hash.AppendData(buffer);
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer, offset, count);
            return Task.CompletedTask;
        }
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }
        public override void Flush() { }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) _hash.Dispose();
            base.Dispose(disposing);
        }
    }
}
