using Microsoft.CodeAnalysis;

namespace Arc.Generators;

/// <summary>
/// Reports the pipeline's <see cref="DiagnosticInfo"/>s with locations in source.
/// </summary>
/// <remarks>
/// Why this shape: the cached steps (parse, spec, names) must not hold a <see cref="SyntaxTree"/> or
/// <see cref="Location"/> (either keeps a whole compilation alive and is never equal across runs), so they carry a
/// <see cref="LocationInfo"/> (path and span). A location rebuilt from those values alone would be an external one,
/// and the compiler looks up <c>#pragma warning disable</c> and per-file <c>.editorconfig</c> severities through the
/// location's syntax tree, so neither would work. Here, at the output step, the diagnostics are combined with the
/// current compilation and each location's tree is found again by path (<see cref="LocationInfo.ToLocation"/>).
/// <para>
/// Only these output nodes depend on the compilation: on each edit they run again for the declarations that have
/// diagnostics (a tree lookup per diagnostic), while the parse, spec and names steps and the generated files stay
/// cached (tests/Arc.Generators.Tests/IncrementalTests.cs). A separate <c>DiagnosticAnalyzer</c> would also have
/// real locations, but it would have to repeat every check the parsers make (the generator must still skip what the
/// analyzer rejects), so each rule would live in two places.
/// </para>
/// </remarks>
internal static class DiagnosticOutput
{
    /// <summary>Reports each declaration's diagnostics; declarations without any never meet the compilation.</summary>
    public static void Register(IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics)
        => context.RegisterSourceOutput(
            diagnostics.Where(static d => d.Count > 0).Combine(context.CompilationProvider),
            static (output, pair) => Report(output, pair.Left, pair.Right));

    /// <summary>Reports compilation-wide diagnostics (the duplicate-name check).</summary>
    public static void Register(IncrementalGeneratorInitializationContext context, IncrementalValueProvider<EquatableArray<DiagnosticInfo>> diagnostics)
        => context.RegisterSourceOutput(
            diagnostics.Combine(context.CompilationProvider),
            static (output, pair) => Report(output, pair.Left, pair.Right));

    private static void Report(SourceProductionContext output, EquatableArray<DiagnosticInfo> diagnostics, Compilation compilation)
    {
        foreach (var diagnostic in diagnostics)
            output.ReportDiagnostic(diagnostic.ToDiagnostic(compilation));
    }
}
