using Arc.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Arc.Generators;

/// <summary>
/// The examples in docs/diagnostics.md are compiled through the generators: a <c>csharp wrong</c> block must report
/// its section's diagnostic and no other Arc diagnostic; a <c>csharp fixed</c> block must report none and compile.
/// </summary>
public sealed class DiagnosticDocsTests
{
    private static readonly IReadOnlyList<MarkdownDoc.CodeBlock> Examples = MarkdownDoc
        .CodeBlocks(File.ReadAllText(Path.Combine(SourcePaths.RepositoryRoot, "docs", "diagnostics.md")))
        .Where(b => b.Info is "csharp wrong" or "csharp fixed")
        .ToList();

    public static TheoryData<string, string, int> ExampleKeys
        => new(Examples.Select(b => (b.Section, b.Info.Split(' ')[1], b.Line)));

    [Fact]
    public void EveryDiagnosticHasAWrongAndAFixedExample()
    {
        foreach (var id in DiagnosticCatalog.All.Select(d => d.Id))
        {
            Assert.Contains(Examples, b => b.Section == id && b.Info == "csharp wrong");
            Assert.Contains(Examples, b => b.Section == id && b.Info == "csharp fixed");
        }
        // And no example sits outside a diagnostic's section, where nobody would check what it shows.
        Assert.All(Examples, b => Assert.Contains(b.Section, DiagnosticCatalog.All.Select(d => d.Id)));
    }

    [Theory]
    [MemberData(nameof(ExampleKeys))]
    public void TheExampleShowsWhatItSays(string id, string kind, int line)
    {
        var example = Examples.Single(b => b.Section == id && b.Line == line);
        var outcome = GeneratorHarness.Run(example.Text);
        var arc = outcome.GeneratorDiagnostics.Where(d => d.Id.StartsWith("ARC", StringComparison.Ordinal)).ToList();
        if (kind == "wrong")
        {
            Assert.NotEmpty(arc);
            Assert.All(arc, d => Assert.Equal(id, d.Id));
            // The diagnosed problem is the only one: the rest of the example compiles.
            Assert.Empty(outcome.CompilationProblems.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()));
        }
        else
        {
            Assert.Empty(outcome.GeneratorDiagnostics.Select(d => d.ToString()));
            // Warnings are allowed (the examples leave out XML docs); errors would mean the fix does not compile.
            Assert.Empty(outcome.CompilationProblems.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()));
            Assert.NotEmpty(outcome.Sources);
        }
    }
}
