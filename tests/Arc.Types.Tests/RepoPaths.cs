namespace Arc.Types.Tests;

/// <summary>Files of the repository the tests read (the Python script, the wire-format document).</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string PythonScript => Path.Combine(Root, "tests", "Arc.Types.Tests", "Python", "arc_wire.py");

    public static string WireFormatDoc => Path.Combine(Root, "docs", "wire-format.md");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Arc.Sdk.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Arc.Sdk.sln above {AppContext.BaseDirectory}; run the tests from the repository");
    }
}
