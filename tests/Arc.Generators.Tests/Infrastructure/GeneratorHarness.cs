using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Arc.Generators.Tests.Infrastructure;

/// <summary>Compiles test sources against the same assemblies this test process runs on, and runs Arc's generators over them.</summary>
internal static class GeneratorHarness
{
    /// <summary>Documentation mode Diagnose makes missing XML docs (CS1591) visible, as in projects that generate documentation.</summary>
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.Diagnose);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(path => path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray());

    /// <summary>A library compilation of <paramref name="sources"/> (path, text), nullable enabled, like the repository's projects.</summary>
    public static CSharpCompilation Compile(string assemblyName, params (string Path, string Text)[] sources)
        => CSharpCompilation.Create(
            assemblyName,
            sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, ParseOptions, s.Path)),
            References.Value,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                deterministic: true,
                // The .NET SDK passes /nowarn:1701,1702 (assembly unification notes) to every build; so do we.
                specificDiagnosticOptions: [new("CS1701", ReportDiagnostic.Suppress), new("CS1702", ReportDiagnostic.Suppress)]));

    /// <summary>A driver with the four generators, tracking steps so incremental tests can inspect them.</summary>
    public static GeneratorDriver CreateDriver()
        => CSharpGeneratorDriver.Create(
            [new ModelGenerator().AsSourceGenerator(), new JobGenerator().AsSourceGenerator(), new PodGenerator().AsSourceGenerator(), new CommandLineGenerator().AsSourceGenerator(), new ProcessorGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generators once.</summary>
    public static GeneratorOutcome Run(CSharpCompilation compilation)
    {
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        return new GeneratorOutcome(driver.GetRunResult(), output, generatorDiagnostics);
    }

    /// <summary>Runs the generators over <paramref name="source"/> in a file named <c>input.cs</c>.</summary>
    public static GeneratorOutcome Run(string source, string assemblyName = "ArcTestInput")
        => Run(Compile(assemblyName, ("input.cs", source)));
}

/// <summary>What one generator run produced.</summary>
internal sealed record GeneratorOutcome(GeneratorDriverRunResult RunResult, Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics)
{
    /// <summary>Generated files by hint name, in a stable order.</summary>
    public IReadOnlyList<(string HintName, string Text)> Sources => RunResult.Results
        .SelectMany(r => r.GeneratedSources)
        .Select(s => (s.HintName, s.SourceText.ToString()))
        .OrderBy(s => s.HintName, StringComparer.Ordinal)
        .ToList();

    /// <summary>Errors and warnings of the whole compilation (user code plus generated code), excluding the generators' own.</summary>
    public IReadOnlyList<Diagnostic> CompilationProblems => Output.GetDiagnostics()
        .Where(d => d.Severity >= DiagnosticSeverity.Warning)
        .ToList();

    /// <summary>Fails unless the generators reported nothing and everything compiles without a warning.</summary>
    public void AssertClean()
    {
        Assert.Empty(GeneratorDiagnostics.Select(d => d.ToString()));
        Assert.Empty(CompilationProblems.Select(d => d.ToString()));
    }
}
