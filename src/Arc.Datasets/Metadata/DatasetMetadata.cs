using Arc.Sdk;

namespace Arc.Datasets;

/// <summary>What a published dataset version's meta.json says (see docs/datasets.md for the file itself).</summary>
public sealed record DatasetMetadata
{
    /// <summary>The meta.json format version this Arc writes and reads.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>The meta.json format version (<see cref="CurrentFormatVersion"/>).</summary>
    public required int FormatVersion { get; init; }

    /// <summary>The dataset's name (the folder above the version).</summary>
    public required string Name { get; init; }

    /// <summary>The version (its folder's name).</summary>
    public required string Version { get; init; }

    /// <summary>When the version was published (UTC).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Tags given at publishing, in their order.</summary>
    public required IReadOnlyList<string> Tags { get; init; }

    /// <summary>The inputs' type.</summary>
    public required DatasetPartType X { get; init; }

    /// <summary>The targets' type.</summary>
    public required DatasetPartType Y { get; init; }

    /// <summary>The splits, in the order train, validation, test.</summary>
    public required IReadOnlyList<DatasetSplitInfo> Splits { get; init; }

    /// <summary>The processor that made the data, when one was given (the slot <see cref="IDatasetProcessor"/> fills); null otherwise.</summary>
    public DatasetProcessorInfo? Processor { get; init; }

    /// <summary>Every file of the version except meta.json, sorted by path, with its size and SHA-256.</summary>
    public required IReadOnlyList<DatasetFileInfo> Files { get; init; }

    /// <summary>Bytes of all <see cref="Files"/>.</summary>
    public long SizeBytes => Files.Sum(f => f.Bytes);

    /// <summary>The content hash over all files and the content description (docs/datasets.md, "The content hash").</summary>
    public required DatasetContentHash Hash { get; init; }

    /// <summary>The split <paramref name="split"/>, or null when the dataset has none.</summary>
    public DatasetSplitInfo? Split(DataSplit split) => Splits.FirstOrDefault(s => s.Split == split);
}

/// <summary>The type of the inputs or the targets and the facts it carries besides its rows.</summary>
/// <param name="Type">The Arc data type's tag: <c>image</c>, <c>class</c>, <c>label</c>, <c>audio</c>, <c>video</c>, <c>text</c>, <c>table</c>.</param>
/// <param name="Names">Class names (<c>class</c>) or label names (<c>label</c>); null for other types.</param>
/// <param name="SampleRate">Samples per second (<c>audio</c>); null for other types.</param>
/// <param name="FramesPerSecond">Frames per second (<c>video</c>); null for other types.</param>
public sealed record DatasetPartType(string Type, IReadOnlyList<string>? Names, int? SampleRate, double? FramesPerSecond);

/// <summary>One split: its sample count and its two files.</summary>
/// <param name="Split">Which split.</param>
/// <param name="Samples">Samples (N, the first dimension of both files).</param>
/// <param name="X">The inputs' file (<c>X_&lt;split&gt;.npy</c>).</param>
/// <param name="Y">The targets' file (<c>y_&lt;split&gt;.npy</c>).</param>
public sealed record DatasetSplitInfo(DataSplit Split, int Samples, DatasetArrayInfo X, DatasetArrayInfo Y);

/// <summary>One <c>.npy</c> file of a split.</summary>
/// <param name="File">Its path in the version folder.</param>
/// <param name="DType">The NumPy dtype: <c>&lt;f4</c>, <c>|u1</c>, <c>&lt;U12</c>, or a table's record descr.</param>
/// <param name="Shape">The full shape, N first.</param>
public sealed record DatasetArrayInfo(string File, string DType, IReadOnlyList<long> Shape);

/// <summary>One file of the version.</summary>
/// <param name="Path">Its path relative to the version folder, with <c>/</c> between folders.</param>
/// <param name="Bytes">Its size.</param>
/// <param name="Sha256">The SHA-256 of its bytes, lower-case hex.</param>
public sealed record DatasetFileInfo(string Path, long Bytes, string Sha256);

/// <summary>The content hash of a version.</summary>
/// <param name="Algorithm">The hash function (<c>sha256</c>).</param>
/// <param name="Value">Lower-case hex.</param>
public sealed record DatasetContentHash(string Algorithm, string Value);

/// <summary>The processor recorded with a dataset (the slot of issue #15's <c>[Processor]</c>, not filled by a generator yet).</summary>
/// <param name="Type">The processor's type name.</param>
/// <param name="ParametersJson">Its parameters, one JSON object as text.</param>
/// <param name="File">The file holding its fitted state, relative to the version folder (<c>processor.arc</c>).</param>
public sealed record DatasetProcessorInfo(string Type, string ParametersJson, string File);
