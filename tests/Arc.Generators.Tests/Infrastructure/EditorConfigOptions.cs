using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Arc.Generators.Tests.Infrastructure;

/// <summary>
/// Severities from a real <c>.editorconfig</c> text, the way the compiler applies them: Roslyn's own
/// <see cref="AnalyzerConfigSet"/> parses the file and computes each tree's options; this class only hands them to the
/// compilation (the compiler's own provider that does so is internal).
/// </summary>
internal sealed class EditorConfigOptions(string editorConfigPath, string editorConfigText) : SyntaxTreeOptionsProvider
{
    private readonly AnalyzerConfigSet _set = AnalyzerConfigSet.Create(System.Collections.Immutable.ImmutableArray.Create(AnalyzerConfig.Parse(editorConfigText, editorConfigPath)));

    public override GeneratedKind IsGenerated(SyntaxTree tree, CancellationToken cancellationToken) => GeneratedKind.Unknown;

    public override bool TryGetDiagnosticValue(SyntaxTree tree, string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
        => _set.GetOptionsForSourcePath(tree.FilePath).TreeOptions.TryGetValue(diagnosticId, out severity);

    public override bool TryGetGlobalDiagnosticValue(string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
        => _set.GlobalConfigOptions.TreeOptions.TryGetValue(diagnosticId, out severity);
}
