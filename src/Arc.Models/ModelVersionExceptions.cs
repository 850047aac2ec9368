namespace Arc.Models;

/// <summary>
/// A file of a model version is not what it should be: missing, not JSON, of an unknown format version, lacking a
/// member, or different from what meta.json recorded. The message starts with the file's path and says what is wrong.
/// </summary>
public class ModelVersionFormatException : Exception
{
    /// <summary>Creates the exception for <paramref name="file"/>, saying what is wrong with it.</summary>
    public ModelVersionFormatException(string file, string problem, Exception? inner = null)
        : base($"{file}: {problem}", inner)
    {
        File = file;
        Problem = problem;
    }

    /// <summary>The file that is wrong.</summary>
    public string File { get; }

    /// <summary>What is wrong with it, without the path.</summary>
    public string Problem { get; }
}

/// <summary>The weights of a model version do not have the size or SHA-256 its meta.json recorded: they changed after publishing.</summary>
public sealed class ModelHashMismatchException(string file, string problem) : ModelVersionFormatException(file, problem);

/// <summary>A model version that is already published was published again; versions are immutable.</summary>
public sealed class ModelVersionExistsException(string path)
    : IOException($"{path} is already published; a model version never changes once published: publish under a new version")
{
    /// <summary>The published version's folder.</summary>
    public string Path { get; } = path;
}

/// <summary>
/// A processor given to a model version is not the one its training data went through: another processor type, or the
/// same type fitted on other data (its fitted state differs from the state of the model's dataset version). Data it
/// makes would not be what the model learned from.
/// </summary>
public sealed class ProcessorMismatchException(string message) : InvalidOperationException(message);

/// <summary>
/// A model version was published to its folder, but registering it in tracking failed (the inner exception says why).
/// The folder is a complete version; register it again or use it as it is.
/// </summary>
public sealed class ModelRegistrationException(string folder, string destination, Exception inner)
    : Exception($"model version {folder} was published, but registering it in {destination} failed: {inner.Message}", inner)
{
    /// <summary>The published version's folder.</summary>
    public string Folder { get; } = folder;

    /// <summary>The tracking destination.</summary>
    public string Destination { get; } = destination;
}
