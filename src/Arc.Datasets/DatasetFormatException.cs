namespace Arc.Datasets;

/// <summary>
/// A file of a dataset version (or a <c>.npy</c> file read on its own) is not what it should be: truncated, corrupt,
/// of an unknown format version, missing, or different from what <c>meta.json</c> recorded. The message starts with
/// the file's path and says what is wrong; <see cref="File"/> holds the path.
/// </summary>
public class DatasetFormatException : Exception
{
    /// <summary>Creates the exception for <paramref name="file"/>, saying what is wrong with it.</summary>
    public DatasetFormatException(string file, string problem, Exception? inner = null)
        : base($"{file}: {problem}", inner)
    {
        File = file;
        Problem = problem;
    }

    /// <summary>The file that is wrong (its full path).</summary>
    public string File { get; }

    /// <summary>What is wrong with it, without the path.</summary>
    public string Problem { get; }
}

/// <summary>
/// A file of a dataset version does not have the content its <c>meta.json</c> recorded (its SHA-256 differs), or
/// <c>meta.json</c>'s own hash does not match the files: the version was changed after it was published.
/// </summary>
public sealed class DatasetHashMismatchException(string file, string problem) : DatasetFormatException(file, problem);

/// <summary>A dataset version that is already published was published again; versions are immutable.</summary>
public sealed class DatasetVersionExistsException(string path)
    : IOException($"{path} is already published; a dataset version never changes once published: publish under a new version")
{
    /// <summary>The published version's folder.</summary>
    public string Path { get; } = path;
}
