using Arc.Sdk;
using Arc.Types;
using Microsoft.Extensions.Logging;

namespace Arc.Datasets;

/// <summary>Opens published dataset versions (docs/datasets.md).</summary>
public static class DatasetVersion
{
    /// <summary>
    /// Opens the version at <paramref name="uri"/> (<c>&lt;destination&gt;/&lt;name&gt;/&lt;version&gt;</c>, a path or
    /// <c>file://</c> URI) as a job over its splits that streams its <c>.npy</c> files a batch at a time: training and
    /// evaluating never load a split whole. Before that, every file is checked against meta.json — present, of its
    /// size and, unless <see cref="DatasetOpenOptions.SkipHashVerification"/>, of its SHA-256 — and every array's
    /// header against the split it belongs to.
    /// </summary>
    /// <param name="uri">
    /// The version's folder (a path or <c>file://</c> URI), <c>s3://bucket/prefix/&lt;name&gt;/&lt;version&gt;</c>, or
    /// <c>oci://host/repository/&lt;name&gt;:&lt;version&gt;</c>. A remote version is downloaded into a temporary folder
    /// (the files meta.json lists, each exactly its recorded size), removed when the version is disposed.
    /// </param>
    /// <param name="options">Hash verification and where its warning goes, how remote versions are reached; defaults when null.</param>
    /// <param name="cancellationToken">Stops opening (hashing a large version takes a while).</param>
    /// <returns>The version as a <see cref="SupervisedJob{X, Y}"/>; dispose it to close its files.</returns>
    /// <exception cref="DatasetFormatException">A file is missing, truncated, corrupt or not what meta.json says (the message names it).</exception>
    /// <exception cref="DatasetHashMismatchException">A file or meta.json changed after publishing.</exception>
    /// <exception cref="InvalidOperationException">The version holds other data types than <typeparamref name="X"/> → <typeparamref name="Y"/>.</exception>
    /// <exception cref="DirectoryNotFoundException">There is no version at <paramref name="uri"/>.</exception>
    /// <exception cref="NotSupportedException">A location of another scheme.</exception>
    public static async Task<DatasetVersion<X, Y>> OpenAsync<X, Y>(string uri, DatasetOpenOptions? options = null, CancellationToken cancellationToken = default)
        where X : IArcData<X>
        where Y : IArcData<Y>
    {
        options ??= new DatasetOpenOptions();
        var location = VersionLocation.Parse(uri, "dataset version");
        if (location is VersionLocation.Folder local) return await OpenFolderAsync<X, Y>(FolderOf(local.Path), null, options, cancellationToken).ConfigureAwait(false);

        // A remote version is downloaded into a folder of its own (removed when the version is disposed) and then
        // checked exactly as a published folder is; what is wrong is reported under the remote name.
        using var remote = RemoteVersion.ForOpen(location, options.Storage);
        string downloaded = RemoteTransfer.CreateLocalFolder();
        try
        {
            if (!await RemoteTransfer.DownloadAsync(remote, downloaded, (metaPath, ct) => ListedFilesAsync<X, Y>(metaPath, remote.Uri, ct), FormatError, cancellationToken)
                    .ConfigureAwait(false))
                throw new DirectoryNotFoundException($"there is no dataset version at {remote.Uri}: it has no {MetaJson.FileName}");
            return await OpenFolderAsync<X, Y>(downloaded, remote.Uri, options, cancellationToken).ConfigureAwait(false);
        }
        catch (DatasetFormatException e) when (e.File.StartsWith(downloaded, StringComparison.Ordinal))
        {
            RemoteTransfer.DeleteLocalFolder(downloaded);
            string file = remote.Uri + e.File[downloaded.Length..].Replace(Path.DirectorySeparatorChar, '/');
            throw e is DatasetHashMismatchException ? new DatasetHashMismatchException(file, e.Problem) : new DatasetFormatException(file, e.Problem, e.InnerException);
        }
        catch
        {
            RemoteTransfer.DeleteLocalFolder(downloaded);
            throw;
        }
    }

    /// <summary>The files a downloaded meta.json lists, once it is known to hold X → Y data (nothing else is downloaded otherwise).</summary>
    private static async Task<IReadOnlyList<(string File, long Bytes)>> ListedFilesAsync<X, Y>(string metaPath, string remoteUri, CancellationToken cancellationToken)
        where X : IArcData<X>
        where Y : IArcData<Y>
    {
        var meta = (await MetaJson.ReadAsync(metaPath, cancellationToken).ConfigureAwait(false)).Meta;
        CheckTypes<X, Y>($"{remoteUri}/{MetaJson.FileName}", meta);
        CheckFileNames(metaPath, meta);
        return meta.Files.Select(f => (f.Path, f.Bytes)).ToList();
    }

    private static void CheckTypes<X, Y>(string metaName, DatasetMetadata meta)
        where X : IArcData<X>
        where Y : IArcData<Y>
    {
        if (meta.X.Type != X.WireTag || meta.Y.Type != Y.WireTag)
            throw new InvalidOperationException(
                $"{metaName}: dataset {meta.Name}:{meta.Version} holds {meta.X.Type} → {meta.Y.Type} data; it cannot be opened as {X.WireTag} → {Y.WireTag} ({typeof(X).Name} → {typeof(Y).Name})");
    }

    private static Exception FormatError(string file, string problem) => new DatasetFormatException(file, problem);

    /// <summary>Opens a local version folder; <paramref name="remoteUri"/> when it was downloaded from there (and is removed on dispose).</summary>
    private static async Task<DatasetVersion<X, Y>> OpenFolderAsync<X, Y>(string folder, string? remoteUri, DatasetOpenOptions options, CancellationToken cancellationToken)
        where X : IArcData<X>
        where Y : IArcData<Y>
    {
        string metaPath = Path.Combine(folder, MetaJson.FileName);
        var (meta, xFacts, yFacts, content) = await MetaJson.ReadAsync(metaPath, cancellationToken).ConfigureAwait(false);
        CheckTypes<X, Y>(remoteUri is null ? metaPath : $"{remoteUri}/{MetaJson.FileName}", meta);
        CheckFileNames(metaPath, meta);

        DatasetVerification.CheckFiles(folder, meta);
        if (options.SkipHashVerification) Warn(options, meta, remoteUri ?? folder);
        else await DatasetVerification.CheckHashesAsync(folder, meta, content, cancellationToken).ConfigureAwait(false);

        var sources = new Dictionary<DataSplit, DatasetSplitSource<X, Y>>();
        try
        {
            foreach (var split in meta.Splits)
                sources[split.Split] = OpenSplit<X, Y>(folder, split, xFacts, yFacts);
            KeepSmallestInMemory(sources.Values.SelectMany(s => s.Files), options.KeepInMemoryBytes);
            return new DatasetVersion<X, Y>(folder, meta, sources, ownsFolder: remoteUri is not null) { Location = remoteUri ?? folder };
        }
        catch
        {
            foreach (var source in sources.Values) source.Dispose();
            throw;
        }
    }

    /// <summary>Reads the metadata of the version at <paramref name="uri"/> without checking or opening its files.</summary>
    /// <exception cref="DatasetFormatException">meta.json is missing, not JSON, of an unknown format version, or lacks a member.</exception>
    public static async Task<DatasetMetadata> ReadMetadataAsync(string uri, VersionStorageOptions? storage = null, CancellationToken cancellationToken = default)
    {
        var location = VersionLocation.Parse(uri, "dataset version");
        if (location is VersionLocation.Folder local)
            return (await MetaJson.ReadAsync(Path.Combine(FolderOf(local.Path), MetaJson.FileName), cancellationToken).ConfigureAwait(false)).Meta;
        using var remote = RemoteVersion.ForOpen(location, storage);
        var bytes = await remote.ReadSmallAsync(MetaJson.FileName, RemoteTransfer.MaxMetaBytes, FormatError, cancellationToken).ConfigureAwait(false)
                    ?? throw new DirectoryNotFoundException($"there is no dataset version at {remote.Uri}: it has no {MetaJson.FileName}");
        string folder = RemoteTransfer.CreateLocalFolder();
        try
        {
            string path = Path.Combine(folder, MetaJson.FileName);
            await File.WriteAllBytesAsync(path, bytes, cancellationToken).ConfigureAwait(false);
            try { return (await MetaJson.ReadAsync(path, cancellationToken).ConfigureAwait(false)).Meta; }
            catch (DatasetFormatException e) { throw new DatasetFormatException($"{remote.Uri}/{MetaJson.FileName}", e.Problem, e.InnerException); }
        }
        finally
        {
            RemoteTransfer.DeleteLocalFolder(folder);
        }
    }

    private static string FolderOf(string folder)
    {
        return Directory.Exists(folder) ? folder : throw new DirectoryNotFoundException($"there is no dataset version at {folder}: the folder does not exist");
    }

    /// <summary>meta.json names each file; only the names Arc writes are accepted (a forged path could point outside the folder).</summary>
    private static void CheckFileNames(string metaPath, DatasetMetadata meta)
    {
        foreach (var split in meta.Splits)
        {
            string where = $"content.splits.{SplitFiles.Name(split.Split)}";
            if (split.X.File != SplitFiles.InputsFile(split.Split))
                throw new DatasetFormatException(metaPath, $"{where}.x.file is '{split.X.File}'; the inputs of this split are {SplitFiles.InputsFile(split.Split)}");
            if (split.Y.File != SplitFiles.TargetsFile(split.Split))
                throw new DatasetFormatException(metaPath, $"{where}.y.file is '{split.Y.File}'; the targets of this split are {SplitFiles.TargetsFile(split.Split)}");
        }
        if (meta.Processor is { } processor && processor.File != DatasetPublisher.ProcessorFile)
            throw new DatasetFormatException(metaPath, $"content.processor.file is '{processor.File}'; a processor's state is {DatasetPublisher.ProcessorFile}");
    }

    /// <summary>
    /// Reads files into memory, smallest first, while their data fits in <paramref name="budget"/> bytes together
    /// (<see cref="DatasetOpenOptions.KeepInMemoryBytes"/>). A shuffled epoch reads one row per sample: from a file each
    /// is a system call (measured: an MNIST-sized epoch at 0.79× of the same data in memory, 1.17× once held), from
    /// memory a copy. Smallest first, because the targets' tiny rows gain the most per byte held.
    /// </summary>
    private static void KeepSmallestInMemory(IEnumerable<NpyRowReader> files, long budget)
    {
        long held = 0;
        foreach (var file in files.OrderBy(f => f.Header.DataBytes))
        {
            if (held + file.Header.DataBytes > budget) return;
            file.KeepInMemoryIfAtMost(budget - held);
            held += file.Header.DataBytes;
        }
    }

    private static DatasetSplitSource<X, Y> OpenSplit<X, Y>(string folder, DatasetSplitInfo split, DataFacts xFacts, DataFacts yFacts)
        where X : IArcData<X>
        where Y : IArcData<Y>
    {
        var inputs = OpenArray(folder, split, split.X, DataForms.For<X>(), xFacts);
        try
        {
            var targets = OpenArray(folder, split, split.Y, DataForms.For<Y>(), yFacts);
            return new DatasetSplitSource<X, Y>(inputs, xFacts, targets, yFacts);
        }
        catch
        {
            inputs.Dispose();
            throw;
        }
    }

    private static NpyRowReader OpenArray<T>(string folder, DatasetSplitInfo split, DatasetArrayInfo array, DataForm<T> form, DataFacts facts)
        where T : IArcData<T>
    {
        var file = NpyRowReader.Open(Path.Combine(folder, array.File));
        try
        {
            var header = file.Header;
            if (header.DType.Name != array.DType || !header.Shape.SequenceEqual(array.Shape))
                throw new DatasetFormatException(file.Path, $"holds {PythonLiteral.ReprTuple(header.Shape)} of {header.DType.Name}, but meta.json says {PythonLiteral.ReprTuple(array.Shape.ToArray())} of {array.DType}");
            if (file.Rows != split.Samples)
                throw new DatasetFormatException(file.Path, $"has {file.Rows} rows, but the {SplitFiles.Name(split.Split)} split has {split.Samples} samples");
            if (form.Rejects(new NpyLayout(header.DType, file.RowShape), facts) is string reason)
                throw new DatasetFormatException(file.Path, reason);
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static void Warn(DatasetOpenOptions options, DatasetMetadata meta, string folder)
    {
        string warning = $"dataset {meta.Name}:{meta.Version} at {folder} is opened WITHOUT verifying its content hash " +
                         "(DatasetOpenOptions.SkipHashVerification): a changed or corrupted file goes unnoticed until it cannot be read";
        if (options.Logger is { } logger)
#pragma warning disable CA1848, CA2254 // one warning per open; the message is built once, not a hot path
            logger.LogWarning(warning);
#pragma warning restore CA1848, CA2254
        else
            Console.Error.WriteLine("warning: " + warning);
    }
}

/// <summary>
/// A published dataset version opened as a job: <see cref="SupervisedJob{X, Y}.StreamAsync"/>,
/// <c>SampleAsync</c>, <c>TrainAsync</c> and <c>EvaluateAsync</c> read its <c>.npy</c> files a batch at
/// a time, so a split much larger than memory trains in bounded memory. <see cref="SupervisedJob{X, Y}.GetSplitAsync"/>
/// still reads a whole split into memory when asked. Dispose to close the files.
/// </summary>
public sealed class DatasetVersion<X, Y> : SupervisedJob<X, Y>, IDisposable
    where X : IArcData<X>
    where Y : IArcData<Y>
{
    private readonly IReadOnlyDictionary<DataSplit, DatasetSplitSource<X, Y>> _splits;
    private readonly bool _ownsFolder;

    internal DatasetVersion(string folder, DatasetMetadata metadata, IReadOnlyDictionary<DataSplit, DatasetSplitSource<X, Y>> splits, bool ownsFolder = false)
    {
        Folder = folder;
        Metadata = metadata;
        _splits = splits;
        _ownsFolder = ownsFolder;
        Location = folder;
    }

    /// <summary>The version's local folder: where it was published, or the temporary folder a remote version was downloaded to.</summary>
    public string Folder { get; }

    /// <summary>Where it was opened from: its folder, or its <c>s3://</c> or <c>oci://</c> URI.</summary>
    public string Location { get; internal init; }

    /// <summary>What its meta.json says.</summary>
    public DatasetMetadata Metadata { get; }

    /// <summary><c>&lt;name&gt;:&lt;version&gt;</c>.</summary>
    public override string Name => $"{Metadata.Name}:{Metadata.Version}";

    /// <summary>
    /// Opens the fitted state of the version's processor (<c>processor.arc</c>), checking that it belongs to a processor
    /// of <paramref name="expectedType"/>.
    /// </summary>
    /// <exception cref="DatasetFormatException">The version has no processor, or one of another type.</exception>
    public Stream OpenProcessorState(string expectedType)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(expectedType);
        string path = Path.Combine(Folder, DatasetPublisher.ProcessorFile);
        if (Metadata.Processor is not { } processor)
            throw new DatasetFormatException(Path.Combine(Folder, MetaJson.FileName), $"records no processor; dataset {Name} was published without one");
        if (processor.Type != expectedType)
            throw new DatasetFormatException(path, $"is the state of a {processor.Type} processor, not of a {expectedType}");
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
    }

    /// <inheritdoc />
    protected override ValueTask<ISplitSource<X, Y>?> OpenSplitSourceAsync(DataSplit split, CancellationToken cancellationToken)
        => ValueTask.FromResult<ISplitSource<X, Y>?>(Source(split));

    /// <inheritdoc />
    protected override ValueTask<Batch<X, Y>> LoadSplitAsync(DataSplit split, CancellationToken cancellationToken)
    {
        var source = Source(split);
        return source.ReadAsync(0, source.Count, cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var source in _splits.Values) source.Dispose();
        if (_ownsFolder) RemoteTransfer.DeleteLocalFolder(Folder);
    }

    private DatasetSplitSource<X, Y> Source(DataSplit split)
        => _splits.TryGetValue(split, out var source) ? source
            : throw new NotSupportedException($"dataset {Name} has no {split} split; it has {string.Join(", ", _splits.Keys)}");
}
