using Arc.Sdk;

namespace Arc.Models;

/// <summary>What a published model version's meta.json says (docs/finder.md describes the file).</summary>
public sealed record ModelVersionMetadata
{
    /// <summary>The meta.json format version this Arc writes and reads.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>The meta.json format version (<see cref="CurrentFormatVersion"/>).</summary>
    public required int FormatVersion { get; init; }

    /// <summary>The model's registered name (the folder above the version).</summary>
    public required string Name { get; init; }

    /// <summary>The version (its folder's name).</summary>
    public required string Version { get; init; }

    /// <summary>When the version was published (UTC).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Tags given at publishing, in their order.</summary>
    public required IReadOnlyList<string> Tags { get; init; }

    /// <summary>The model's .NET type (full name), for the reader to know what to create; never loaded from here.</summary>
    public required string ModelType { get; init; }

    /// <summary>The hyperparameters it was created with, by name: <see cref="long"/>, <see cref="double"/>, <see cref="bool"/> or <see cref="string"/>.</summary>
    public required IReadOnlyDictionary<string, object> Hyperparameters { get; init; }

    /// <summary>The inputs: type tag and the shape of one sample.</summary>
    public required ModelDataType X { get; init; }

    /// <summary>The targets: type tag and class or label names.</summary>
    public required ModelDataType Y { get; init; }

    /// <summary>The dataset version it was trained on.</summary>
    public required ModelDatasetLink Dataset { get; init; }

    /// <summary>The training history, one entry per completed epoch.</summary>
    public required IReadOnlyList<EpochRecord> History { get; init; }

    /// <summary>The evaluation published with it; null when none was given.</summary>
    public ModelEvaluation? Evaluation { get; init; }

    /// <summary>Summary statistics of the split it was trained on, for the Finder.</summary>
    public required TrainingDataStatistics TrainingData { get; init; }

    /// <summary>The weights file: its name, size and SHA-256.</summary>
    public required ModelFile Weights { get; init; }

    /// <summary>The model hash: the SHA-256 of the weights (<see cref="ModelHash.Algorithm"/> names it).</summary>
    public required ModelHash Hash { get; init; }
}

/// <summary>An input or target type of a model version.</summary>
/// <param name="Type">The Arc data type's wire tag (<c>image</c>, <c>class</c>, …).</param>
/// <param name="Shape">The shape of one sample (without N) for images, audio and video; null for other types.</param>
/// <param name="Names">Class or label names; null for other types.</param>
public sealed record ModelDataType(string Type, IReadOnlyList<int>? Shape, IReadOnlyList<string>? Names);

/// <summary>The dataset version a model was trained on.</summary>
/// <param name="Name">The dataset's name.</param>
/// <param name="Version">Its version.</param>
/// <param name="Hash">Its content hash (<c>sha256</c>, lower-case hex).</param>
/// <param name="Processor">Its processor's type name; null when the dataset was published without one.</param>
/// <param name="ProcessorStateSha256">The SHA-256 of the processor's fitted state (<c>processor.arc</c>); null without a processor.</param>
public sealed record ModelDatasetLink(string Name, string Version, string Hash, string? Processor, string? ProcessorStateSha256);

/// <summary>One completed epoch of training.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="Loss">Its mean loss, weighted by batch size.</param>
/// <param name="Steps">Fit calls in it.</param>
public sealed record EpochRecord(int Epoch, double Loss, long Steps);

/// <summary>The headline metrics of an evaluation published with a model.</summary>
/// <param name="Job">The job evaluated on.</param>
/// <param name="Split">The split.</param>
/// <param name="Samples">Samples evaluated.</param>
/// <param name="Metrics">The headline metrics (<c>accuracy</c>, …) by name.</param>
public sealed record ModelEvaluation(string Job, DataSplit Split, int Samples, IReadOnlyDictionary<string, double> Metrics);

/// <summary>The summary statistics of the split a model was trained on.</summary>
/// <param name="Split">The split (train).</param>
/// <param name="Statistics">The statistics.</param>
public sealed record TrainingDataStatistics(DataSplit Split, DataStatistics Statistics);

/// <summary>A file of a model version.</summary>
/// <param name="Path">Its name in the version folder.</param>
/// <param name="Bytes">Its size.</param>
/// <param name="Sha256">The SHA-256 of its bytes, lower-case hex.</param>
public sealed record ModelFile(string Path, long Bytes, string Sha256);

/// <summary>A model version's hash.</summary>
/// <param name="Algorithm">The hash function (<c>sha256</c>).</param>
/// <param name="Value">Lower-case hex.</param>
public sealed record ModelHash(string Algorithm, string Value);
