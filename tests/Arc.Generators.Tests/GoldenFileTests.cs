using Arc.Generators.Tests.Infrastructure;

namespace Arc.Generators;

/// <summary>
/// Each folder under <c>Golden/</c> holds an <c>input.cs</c> and the files the generators must write for it, named by
/// hint name. The generated text must match exactly and compile without warnings. Run with
/// <c>ARC_UPDATE_GOLDEN=1</c> to rewrite the expected files, then review the diff like code.
/// </summary>
public sealed class GoldenFileTests
{
    public static TheoryData<string> Cases => new(Directory.GetDirectories(SourcePaths.GoldenDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    private static bool Updating => Environment.GetEnvironmentVariable("ARC_UPDATE_GOLDEN") == "1";

    [Theory]
    [MemberData(nameof(Cases))]
    public void GeneratedSourceMatchesGoldenFiles(string @case)
    {
        string folder = Path.Combine(SourcePaths.GoldenDirectory, @case);
        var outcome = GeneratorHarness.Run(File.ReadAllText(Path.Combine(folder, "input.cs")));
        // A case may expect warnings (ARC0017: a parameter the command line cannot bind), listed one per line in
        // diagnostics.txt; every other case must be clean. Either way the whole compilation has no warning.
        string expectedDiagnostics = Path.Combine(folder, "diagnostics.txt");
        var reported = outcome.GeneratorDiagnostics.Select(d => d.ToString()).ToList();
        if (Updating)
        {
            if (reported.Count > 0) File.WriteAllLines(expectedDiagnostics, reported);
            else File.Delete(expectedDiagnostics);
        }
        else if (File.Exists(expectedDiagnostics))
            Assert.Equal(File.ReadAllLines(expectedDiagnostics).Where(l => l.Length > 0), reported);
        else
            Assert.Empty(reported);
        Assert.Empty(outcome.CompilationProblems.Select(d => d.ToString()));
        Assert.NotEmpty(outcome.Sources);

        var expectedFiles = Directory.GetFiles(folder, "*.g.cs").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
        if (Updating)
        {
            foreach (var stale in expectedFiles)
                File.Delete(Path.Combine(folder, stale));
            foreach (var (hint, text) in outcome.Sources)
                File.WriteAllText(Path.Combine(folder, hint), text);
            return;
        }

        Assert.Equal(expectedFiles, outcome.Sources.Select(s => s.HintName).ToList());
        foreach (var (hint, text) in outcome.Sources)
            Assert.Equal(File.ReadAllText(Path.Combine(folder, hint)).ReplaceLineEndings("\n"), text);
    }

    [Fact]
    public void GoldenFilesAreNotBeingRewritten()
    {
        // Keeps a run with ARC_UPDATE_GOLDEN=1 from passing silently in CI: rewriting is a local, reviewed step.
        Assert.False(Updating, "ARC_UPDATE_GOLDEN=1 rewrote the golden files; review the diff and run again without it");
    }
}
