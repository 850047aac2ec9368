using Arc.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Arc.Sdk;

namespace Arc.Generators;

/// <summary>
/// Diagnostics point into the compilation's own syntax trees, also after incremental runs that reuse cached parse
/// results, so the compiler's suppression machinery applies to them: <c>#pragma warning disable ARCnnnn</c> suppresses
/// exactly what it covers, and <c>.editorconfig</c> severities apply to the files they cover.
/// </summary>
/// <remarks>
/// What this proves and what it does not: the generator driver passes every generator diagnostic through the
/// compilation's options (<c>CompilationOptions.FilterDiagnostic</c>, which reads pragmas and per-tree severities
/// through <see cref="Location.SourceTree"/>), and these tests run that real path with severities from a real
/// <c>.editorconfig</c> text parsed by Roslyn's <see cref="Microsoft.CodeAnalysis.AnalyzerConfigSet"/>. A real build
/// (csc via MSBuild) hands the same options to the same driver and drops suppressed diagnostics; it is too slow to
/// run in this suite. With external locations (<c>Location.Create(path, span, lineSpan)</c>, as before) the pragma and
/// the per-file severity are never consulted, and the suppression tests fail.
/// </remarks>
public sealed class DiagnosticLocationTests
{
    private const string Usings = "using Arc.Sdk;\n";

    /// <summary>Two non-partial pod containers: ARC0001 once each, so a pragma around one must leave the other.</summary>
    private const string Covered = """
        #pragma warning disable ARC0001
        public static class Covered { [Pod] public static int One() => 1; }
        #pragma warning restore ARC0001
        """;

    private const string Uncovered = "public static class Uncovered { [Pod] public static int Two() => 2; }\n";

    private const string DemoteArc0001 = "root = true\n\n[*.cs]\ndotnet_diagnostic.ARC0001.severity = warning\n";

    public static TheoryData<string> CaseNames => DiagnosticTests.CaseNames;

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void EveryReportedLocationIsInTheCompilationsTree(string caseName)
    {
        var compilation = GeneratorHarness.Compile("ArcTestInput", ("input.cs", DiagnosticTests.Usings + DiagnosticTests.Cases[caseName].Source));
        var tree = Assert.Single(compilation.SyntaxTrees);
        var outcome = GeneratorHarness.Run(compilation);

        Assert.NotEmpty(outcome.GeneratorDiagnostics);
        foreach (var diagnostic in outcome.GeneratorDiagnostics)
            foreach (var location in diagnostic.AdditionalLocations.Prepend(diagnostic.Location))
            {
                Assert.True(location.IsInSource, $"{diagnostic.Id} at {location}: not in source");
                Assert.Same(tree, location.SourceTree);
            }
    }

    [Fact]
    public void ALocationFollowsItsEditedTreeAndStaysInTheUneditedOnes()
    {
        var compilation = GeneratorHarness.Compile("Incremental",
            ("Bad.cs", Usings + "public static class Bad { [Pod] public static int One() => 1; }"),
            ("Other.cs", "internal static class Other { public const int X = 1; }"));
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation, TestContext.Current.CancellationToken);

        // An edit elsewhere: Bad.cs's parse result is reused from the cache, its diagnostic still lands in Bad.cs's tree.
        var elsewhere = Replace(compilation, "Other.cs", "internal static class Other { public const int X = 2; }");
        driver = driver.RunGenerators(elsewhere, TestContext.Current.CancellationToken);
        var cached = driver.GetRunResult();
        var podParse = cached.Results.Single(r => r.Generator.GetGeneratorType() == typeof(PodGenerator)).TrackedSteps[TrackingNames.PodParse];
        Assert.Contains(podParse.SelectMany(s => s.Outputs), o => o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged);
        var diagnostic = Assert.Single(cached.Diagnostics);
        Assert.Same(elsewhere.SyntaxTrees.Single(t => t.FilePath == "Bad.cs"), diagnostic.Location.SourceTree);

        // Two lines added above the class in Bad.cs itself: the diagnostic moves with the class, into the new tree.
        var moved = Replace(elsewhere, "Bad.cs", "// one\n// two\n" + Usings + "public static class Bad { [Pod] public static int One() => 1; }");
        driver = driver.RunGenerators(moved, TestContext.Current.CancellationToken);
        diagnostic = Assert.Single(driver.GetRunResult().Diagnostics);
        var tree = moved.SyntaxTrees.Single(t => t.FilePath == "Bad.cs");
        Assert.Same(tree, diagnostic.Location.SourceTree);
        Assert.Equal("Bad", tree.GetText(TestContext.Current.CancellationToken).ToString(diagnostic.Location.SourceSpan));
        Assert.Equal(3, diagnostic.Location.GetLineSpan().StartLinePosition.Line);
    }

    [Fact]
    public void WithoutAPragmaOrConfigurationBothAreErrors()
    {
        var reported = Run(editorConfig: null, withPragma: false);
        Assert.Equal(["Covered", "Uncovered"], reported.Select(Subject).ToArray());
        Assert.All(reported, d => Assert.Equal(DiagnosticSeverity.Error, d.Severity));
        Assert.All(reported, d => Assert.False(d.IsSuppressed));
    }

    [Fact]
    public void APragmaSuppressesTheErrorWhereItCoversAndNowhereElse()
    {
        // Roslyn keeps a pragma-suppressed diagnostic but marks it IsSuppressed; the compiler neither prints it nor
        // counts it as an error. Unlike the compiler's own errors, an analyzer's or generator's error can be suppressed,
        // unless its descriptor is NotConfigurable (which Arc's were, along with the external locations).
        var reported = Run(editorConfig: null);
        Assert.Equal(["Covered", "Uncovered"], reported.Select(Subject).ToArray());
        Assert.True(reported[0].IsSuppressed, "the pragma covers 'Covered'");
        Assert.False(reported[1].IsSuppressed, "the pragma was restored before 'Uncovered'");
        Assert.All(reported, d => Assert.Equal(DiagnosticSeverity.Error, d.Severity));
    }

    [Fact]
    public void AnEditorconfigSetsTheSeverityOfTheFilesItCovers()
    {
        // The per-file severity is found through the location's tree.
        var reported = Run(DemoteArc0001, withPragma: false);
        Assert.Equal(["Covered", "Uncovered"], reported.Select(Subject).ToArray());
        Assert.All(reported, d => Assert.Equal(DiagnosticSeverity.Warning, d.Severity));
        Assert.All(reported, d => Assert.False(d.IsSuppressed));

        // A file the .editorconfig does not cover keeps the default.
        var elsewhere = GeneratorHarness.Run(Compile(DemoteArc0001, withPragma: false, directory: "elsewhere")).GeneratorDiagnostics;
        Assert.Equal(2, elsewhere.Length);
        Assert.All(elsewhere, d => Assert.Equal(DiagnosticSeverity.Error, d.Severity));
    }

    [Fact]
    public void APragmaSuppressesTheDemotedWarningToo()
    {
        var reported = Run(DemoteArc0001);
        Assert.Equal(["Covered", "Uncovered"], reported.Select(Subject).ToArray());
        Assert.True(reported[0].IsSuppressed);
        Assert.False(reported[1].IsSuppressed);
        Assert.All(reported, d => Assert.Equal(DiagnosticSeverity.Warning, d.Severity));
    }

    [Fact]
    public void SuppressingARuleDoesNotMakeTheGeneratorEmitCodeForTheDeclaration()
    {
        var outcome = GeneratorHarness.Run(Compile(editorConfig: null, withPragma: true));
        Assert.Contains(outcome.GeneratorDiagnostics, d => d.IsSuppressed);
        Assert.Empty(outcome.Sources);
    }

    private static List<Diagnostic> Run(string? editorConfig, bool withPragma = true)
        => GeneratorHarness.Run(Compile(editorConfig, withPragma)).GeneratorDiagnostics
            .Where(d => d.Id == "ARC0001")
            .OrderBy(d => d.Location.SourceSpan.Start)
            .ToList();

    /// <summary>
    /// <see cref="Covered"/> and <see cref="Uncovered"/> in <c>/arc/project/&lt;directory&gt;/input.cs</c>, with the
    /// .editorconfig (if any) in <c>/arc/project/src</c>: absolute paths, because a section applies to files under the
    /// directory its file is in. Nothing is written to disk.
    /// </summary>
    private static CSharpCompilation Compile(string? editorConfig, bool withPragma, string directory = "src")
    {
        string root = Path.Combine(Path.GetPathRoot(Path.GetTempPath())!, "arc", "project");
        string source = Usings + (withPragma ? Covered : Covered.Replace("#pragma", "// no pragma:")) + "\n" + Uncovered;
        var compilation = GeneratorHarness.Compile("ArcTestInput", (Path.Combine(root, directory, "input.cs"), source));
        return editorConfig is null
            ? compilation
            : compilation.WithOptions(compilation.Options.WithSyntaxTreeOptionsProvider(new EditorConfigOptions(Path.Combine(root, "src", ".editorconfig"), editorConfig)));
    }

    /// <summary>The text the diagnostic points at (the class name for ARC0001).</summary>
    private static string Subject(Diagnostic diagnostic)
        => diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan);

    private static CSharpCompilation Replace(CSharpCompilation compilation, string path, string text)
        => compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.Single(t => t.FilePath == path),
            CSharpSyntaxTree.ParseText(text, GeneratorHarness.ParseOptions, path, cancellationToken: TestContext.Current.CancellationToken));
}
