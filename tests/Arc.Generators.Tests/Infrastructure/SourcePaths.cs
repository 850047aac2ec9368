using System.Runtime.CompilerServices;

namespace Arc.Generators.Tests.Infrastructure;

/// <summary>Finds the test project's source folder, so golden files are read from and rewritten in the source tree.</summary>
internal static class SourcePaths
{
    public static string ProjectDirectory { get; } = Path.GetDirectoryName(Path.GetDirectoryName(ThisFile())!)!;

    public static string GoldenDirectory => Path.Combine(ProjectDirectory, "Golden");

    /// <summary>The repository root (two levels above the test project), for the docs and READMEs the tests hold to the code.</summary>
    public static string RepositoryRoot => Path.GetFullPath(Path.Combine(ProjectDirectory, "..", ".."));

    private static string ThisFile([CallerFilePath] string path = "") => path;
}
