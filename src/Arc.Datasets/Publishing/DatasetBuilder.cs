using Arc.Sdk;
using Arc.Types;

namespace Arc.Datasets;

/// <summary>
/// Builds a dataset version: the splits (whole batches or streams of batches), tags, the raw data it was made from
/// and the processor that made it, then publishes them as <c>&lt;destination&gt;/&lt;name&gt;/&lt;version&gt;/</c>
/// (<see cref="PublishAsync"/>; docs/datasets.md).
/// </summary>
/// <typeparam name="X">The inputs' type: <see cref="ImageData"/>, <see cref="TextData"/>, <see cref="TableData"/>, <see cref="AudioData"/>, <see cref="VideoData"/>, …</typeparam>
/// <typeparam name="Y">The targets' type: <see cref="ClassData"/>, <see cref="LabelData"/>, …</typeparam>
public sealed class DatasetBuilder<X, Y>
    where X : IArcData<X>
    where Y : IArcData<Y>
{
    private readonly Dictionary<DataSplit, Func<IAsyncEnumerable<Batch<X, Y>>>> _splits = new();
    private readonly List<string> _tags = new();
    private string? _raw;
    private IDatasetProcessor? _processor;
    private VersionStorageOptions? _storage;

    /// <summary>A builder for the dataset called <paramref name="name"/> (letters, digits, '.', '_', '-'; it names a folder).</summary>
    /// <exception cref="NotSupportedException"><typeparamref name="X"/> or <typeparamref name="Y"/> cannot be stored in a dataset.</exception>
    public DatasetBuilder(string name)
    {
        VersionLocation.CheckName(name, "dataset name", nameof(name));
        _ = DataForms.For<X>();
        _ = DataForms.For<Y>();
        Name = name;
    }

    /// <summary>The dataset's name.</summary>
    public string Name { get; }

    /// <summary>Adds <paramref name="split"/> as one batch held in memory.</summary>
    public DatasetBuilder<X, Y> AddSplit(DataSplit split, Batch<X, Y> data) => AddSplit(split, () => One(data));

    /// <summary>
    /// Adds <paramref name="split"/> as a stream of batches, enumerated once at publishing and written as it comes, so
    /// a split larger than memory can be published. Every batch must have the same layout (dtype, shape after N) and
    /// facts (class names, …); texts may differ in length.
    /// </summary>
    public DatasetBuilder<X, Y> AddSplit(DataSplit split, IAsyncEnumerable<Batch<X, Y>> batches)
    {
        ArgumentNullException.ThrowIfNull(batches);
        return AddSplit(split, () => batches);
    }

    /// <summary>Adds tags, kept in meta.json in the order given (repeats dropped).</summary>
    public DatasetBuilder<X, Y> AddTags(params IEnumerable<string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        foreach (var tag in tags)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(tag, nameof(tags));
            if (!_tags.Contains(tag)) _tags.Add(tag);
        }
        return this;
    }

    /// <summary>Copies <paramref name="path"/> (a folder's contents, or one file) into the version's <c>raw/</c> at publishing.</summary>
    public DatasetBuilder<X, Y> WithRaw(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _raw = Path.GetFullPath(path);
        return this;
    }

    /// <summary>Records <paramref name="processor"/> (type, parameters, fitted state in <c>processor.arc</c>) with the version.</summary>
    public DatasetBuilder<X, Y> WithProcessor(IDatasetProcessor processor)
    {
        _processor = processor ?? throw new ArgumentNullException(nameof(processor));
        return this;
    }

    /// <summary>How remote destinations (<c>s3://</c>, <c>oci://</c>) are reached; without it, from the environment (<see cref="VersionStorageOptions"/>).</summary>
    public DatasetBuilder<X, Y> WithStorage(VersionStorageOptions storage)
    {
        _storage = storage ?? throw new ArgumentNullException(nameof(storage));
        return this;
    }

    /// <summary>
    /// Publishes the version to <c>&lt;destination&gt;/&lt;name&gt;/&lt;version&gt;/</c>: the <c>.npy</c> files of each
    /// split, <c>raw/</c>, <c>processor.arc</c> and meta.json with the content hash. Everything is written under a
    /// temporary name beside it, flushed to disk and renamed at the end, so no half-published version is ever visible;
    /// on any failure the temporary folder is removed.
    /// </summary>
    /// <param name="destination">
    /// A local folder (a path or <c>file://</c> URI; created when missing), <c>s3://bucket/prefix</c> (objects
    /// <c>prefix/&lt;name&gt;/&lt;version&gt;/…</c>) or <c>oci://host/repository</c> (the artifact
    /// <c>host/repository/&lt;name&gt;:&lt;version&gt;</c>). A remote version is staged in a local temporary folder and
    /// sent with meta.json last, so it is not visible until complete (docs/datasets.md, "Destinations").
    /// </param>
    /// <param name="version">The version's name (letters, digits, '.', '_', '-'; e.g. <c>v1</c>).</param>
    /// <param name="cancellationToken">Stops publishing (nothing is left visible).</param>
    /// <exception cref="DatasetVersionExistsException">The version is already published; versions never change.</exception>
    /// <exception cref="ArgumentException">No split, or a batch that cannot be stored or does not match the others (the message names it).</exception>
    /// <exception cref="NotSupportedException">A destination of another scheme.</exception>
    public Task<PublishedDataset> PublishAsync(string destination, string version, CancellationToken cancellationToken = default)
    {
        VersionLocation.CheckName(version, "dataset version", nameof(version));
        if (_splits.Count == 0) throw new ArgumentException("the dataset has no split; add one with AddSplit", nameof(destination));
        var splits = SplitFiles.All.Where(_splits.ContainsKey).Select(s => (s, _splits[s]())).ToList();
        var location = VersionLocation.Parse(destination, "dataset");
        var plan = new DatasetPublisher.Plan<X, Y>(Name, version, splits, _tags.ToArray(), _raw, _processor);
        return location is VersionLocation.Folder folder
            ? DatasetPublisher.PublishAsync(plan, folder.Path, cancellationToken)
            : DatasetRemotePublisher.PublishAsync(plan, location, _storage, cancellationToken);
    }

    private DatasetBuilder<X, Y> AddSplit(DataSplit split, Func<IAsyncEnumerable<Batch<X, Y>>> batches)
    {
        _ = SplitFiles.Name(split);
        if (!_splits.TryAdd(split, batches))
            throw new ArgumentException($"the {split} split was already added", nameof(split));
        return this;
    }

    private static async IAsyncEnumerable<Batch<X, Y>> One(Batch<X, Y> data)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        yield return data;
    }
}

/// <summary>A published dataset version: where it is and what its meta.json says.</summary>
/// <param name="Path">The version's folder (<c>&lt;destination&gt;/&lt;name&gt;/&lt;version&gt;</c>), or its URI in a remote destination (what <see cref="DatasetVersion.OpenAsync{X, Y}"/> opens).</param>
/// <param name="Metadata">Its metadata, content hash included.</param>
public sealed record PublishedDataset(string Path, DatasetMetadata Metadata);
