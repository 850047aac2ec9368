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

    /// <summary>
    /// How many bytes of the version's arrays are read into memory when it is opened: files are taken smallest first
    /// (targets before inputs, as a rule) while their data fits together. A file held in memory gives each shuffled row
    /// by a copy; any other is read a batch at a time with one positional read per row (or run of adjacent rows), in
    /// bounded memory, which costs a system call per sample. Default 256 MiB: an MNIST-sized version (about 220 MB) is
    /// held whole. 0 holds nothing.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set below zero.</exception>
    public long KeepInMemoryBytes
    {
        get => _keepInMemoryBytes;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _keepInMemoryBytes = value;
        }
    }

    private readonly long _keepInMemoryBytes = 256L << 20;

    /// <summary>How remote versions (<c>s3://</c>, <c>oci://</c>) are reached; null: from the environment (<see cref="VersionStorageOptions"/>).</summary>
    public VersionStorageOptions? Storage { get; init; }
}
