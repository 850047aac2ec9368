using Microsoft.Extensions.Logging;

namespace Arc.Datasets;

/// <summary>How <see cref="DatasetVersion.OpenAsync{X, Y}"/> opens a version.</summary>
public sealed record DatasetOpenOptions
{
    /// <summary>
    /// Skips hashing the files against meta.json (sizes, headers and shapes are still checked). Opening a large
    /// dataset is then quicker, but a changed or corrupted file goes unnoticed until it cannot be read; a warning
    /// says so every time (to <see cref="Logger"/>, or to standard error without one). Default false.
    /// </summary>
    public bool SkipHashVerification { get; init; }

    /// <summary>Receives the warning of <see cref="SkipHashVerification"/>; null writes it to standard error.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>How remote versions (<c>s3://</c>, <c>oci://</c>) are reached; null: from the environment (<see cref="VersionStorageOptions"/>).</summary>
    public VersionStorageOptions? Storage { get; init; }
}
