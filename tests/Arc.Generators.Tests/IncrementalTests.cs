using Arc.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Generators;

/// <summary>
/// Runs the driver twice with step tracking and checks what Roslyn could reuse: after editing one declaration, the
/// specs and the generated files of the others must come back Cached or Unchanged, never re-emitted.
/// </summary>
public sealed class IncrementalTests
{
    private static readonly IncrementalStepRunReason[] Reused = [IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged];

    private static string Model(string name, int hidden, string preamble = "") => preamble + $$"""
        using System.IO;
        using Arc.Sdk;
        using Arc.Types;

        [Model]
        internal partial class {{name}} : SupervisedModel<ImageData, ClassData>
        {
            public {{name}}(int hidden = {{hidden}}) { }
            public override FitResult Fit(ImageData x, ClassData y) => new(0, 0);
            public override ClassData Predict(ImageData x) => throw new System.NotSupportedException();
            public override void SaveWeights(Stream destination) { }
            public override void LoadWeights(Stream source) { }
        }
        """;

    private static string Pod(string type, int offset) => $$"""
        using Arc.Sdk;

        internal static partial class {{type}}
        {
            [Pod] public static int Shift(int value) => value + {{offset}};
        }
        """;

    [Fact]
    public void EditingOneModelLeavesTheOtherModelsOutputCached()
    {
        var (first, second) = RunTwice(
            [("A.cs", Model("A", 1)), ("B.cs", Model("B", 1))],
            "A.cs", Model("A", 2));

        var result = ResultOf<ModelGenerator>(second);
        Assert.Equal(IncrementalStepRunReason.Modified, SpecReason(result, TrackingNames.ModelSpec, "A"));
        Assert.Contains(SpecReason(result, TrackingNames.ModelSpec, "B"), Reused);
        Assert.Equal(IncrementalStepRunReason.Modified, SourceOutputReason(result, "A"));
        Assert.Contains(SourceOutputReason(result, "B"), Reused);

        Assert.Equal(SourceText(first, "B.Arc.g.cs"), SourceText(second, "B.Arc.g.cs"));
        Assert.NotEqual(SourceText(first, "A.Arc.g.cs"), SourceText(second, "A.Arc.g.cs"));
        Assert.Contains("int Hidden = 2", SourceText(second, "A.Arc.g.cs"));
    }

    [Fact]
    public void MovingADeclarationWithoutChangingItLeavesItsOutputCached()
    {
        // A comment above the class shifts every location in A.cs; the spec carries no locations, so it stays equal.
        var (_, second) = RunTwice(
            [("A.cs", Model("A", 1)), ("B.cs", Model("B", 1))],
            "A.cs", Model("A", 1, preamble: "// a new first line\n// and another\n"));

        var result = ResultOf<ModelGenerator>(second);
        Assert.Contains(SpecReason(result, TrackingNames.ModelSpec, "A"), Reused);
        Assert.Contains(SourceOutputReason(result, "A"), Reused);
        Assert.Contains(SourceOutputReason(result, "B"), Reused);
    }

    [Fact]
    public void EditingAnUnrelatedFileLeavesEveryOutputCached()
    {
        var (_, second) = RunTwice(
            [("A.cs", Model("A", 1)), ("Other.cs", "internal static class Other { public const int X = 1; }"), ("F.cs", Pod("F", 1))],
            "Other.cs", "internal static class Other { public const int X = 2; }");

        Assert.Contains(SourceOutputReason(ResultOf<ModelGenerator>(second), "A"), Reused);
        Assert.Contains(SpecReason(ResultOf<PodGenerator>(second), TrackingNames.PodSpec, "F"), Reused);
        Assert.Contains(SourceOutputReason(ResultOf<PodGenerator>(second), "F"), Reused);
    }

    [Fact]
    public void EditingOnePodLeavesTheOtherPodsOutputCached()
    {
        var (_, second) = RunTwice(
            [("F.cs", Pod("F", 1)), ("G.cs", Pod("G", 1))],
            "F.cs", Pod("F", 1).Replace("int value", "long value"));

        var result = ResultOf<PodGenerator>(second);
        Assert.Equal(IncrementalStepRunReason.Modified, SpecReason(result, TrackingNames.PodSpec, "F"));
        Assert.Contains(SpecReason(result, TrackingNames.PodSpec, "G"), Reused);
        Assert.Contains(SourceOutputReason(result, "G"), Reused);
    }

    [Fact]
    public void ThePipelineCarriesNoSymbolsOrSyntax()
    {
        // Anything holding a compilation would defeat the cache; walk every value of every step Arc names
        // (Roslyn's own steps inside ForAttributeWithMetadataName are its business).
        var (_, second) = RunTwice(
            [("A.cs", Model("A", 1)), ("F.cs", Pod("F", 1)), ("Bad.cs", "[Arc.Sdk.Model] internal partial class Bad { }")],
            "A.cs", Model("A", 2), expectDiagnostics: true);
        Assert.Equal("ARC0002", Assert.Single(second.Diagnostics).Id);
        var named = second.Results.SelectMany(r => r.TrackedSteps.Keys).ToList();
        Assert.Contains(TrackingNames.ModelParse, named);
        Assert.Contains(TrackingNames.ModelSpec, named);
        Assert.Contains(TrackingNames.ModelNames, named);
        Assert.Contains(TrackingNames.PodParse, named);
        foreach (var result in second.Results)
            foreach (var (name, steps) in result.TrackedSteps.Where(s => s.Key.StartsWith("Arc.", StringComparison.Ordinal)))
                foreach (var output in steps.SelectMany(s => s.Outputs))
                    AssertNoRoslynObjects(output.Value, name);
    }

    private static (GeneratorDriverRunResult First, GeneratorDriverRunResult Second) RunTwice(
        (string Path, string Text)[] files, string editedPath, string editedText, bool expectDiagnostics = false)
    {
        var compilation = GeneratorHarness.Compile("Incremental", files);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation, TestContext.Current.CancellationToken);
        var first = driver.GetRunResult();
        var oldTree = compilation.SyntaxTrees.Single(t => t.FilePath == editedPath);
        var edited = compilation.ReplaceSyntaxTree(oldTree, CSharpSyntaxTree.ParseText(editedText, GeneratorHarness.ParseOptions, editedPath, cancellationToken: TestContext.Current.CancellationToken));
        driver = driver.RunGenerators(edited, TestContext.Current.CancellationToken);
        var second = driver.GetRunResult();
        if (!expectDiagnostics)
            Assert.Empty(second.Diagnostics);
        return (first, second);
    }

    private static GeneratorRunResult ResultOf<TGenerator>(GeneratorDriverRunResult run)
        => run.Results.Single(r => r.Generator.GetGeneratorType() == typeof(TGenerator));

    private static string SourceText(GeneratorDriverRunResult run, string hintName)
        => run.Results.SelectMany(r => r.GeneratedSources).Single(s => s.HintName == hintName).SourceText.ToString();

    /// <summary>The reason recorded for the spec of the declaration named <paramref name="typeName"/> at step <paramref name="stepName"/>.</summary>
    private static IncrementalStepRunReason SpecReason(GeneratorRunResult result, string stepName, string typeName)
        => Assert.Single(result.TrackedSteps[stepName].SelectMany(s => s.Outputs), o => Owner(o.Value) == typeName).Reason;

    /// <summary>
    /// The reason recorded for the source outputs fed by the spec of <paramref name="typeName"/>: a model has three (its
    /// <c>.Arc.g.cs</c>, <c>.TrainingModule.g.cs</c> and <c>.InferenceModule.g.cs</c>), which must agree.
    /// </summary>
    private static IncrementalStepRunReason SourceOutputReason(GeneratorRunResult result, string typeName)
    {
        var steps = result.TrackedOutputSteps["SourceOutput"]
            .Where(s => s.Inputs.Any(i => Owner(i.Source.Outputs[i.OutputIndex].Value) == typeName)).ToList();
        Assert.NotEmpty(steps);
        var reasons = steps.Select(s => Assert.Single(s.Outputs).Reason).Distinct().ToList();
        return Assert.Single(reasons);
    }

    private static string? Owner(object value) => value switch
    {
        TargetClassSpec spec => spec.ClassName,
        PodSpec spec => spec.Location.Types[^1].Name,
        _ => null,
    };

    private static void AssertNoRoslynObjects(object? value, string step)
    {
        switch (value)
        {
            case null or string or bool or int or Enum:
                return;
            case DiagnosticDescriptor:
                return; // immutable and equatable: safe to cache, as in CommunityToolkit's generators
            case ISymbol or SyntaxNode or Compilation or SemanticModel or Location or SyntaxTree:
                Assert.Fail($"step {step} carries a {value.GetType().Name}");
                return;
            case System.Collections.IEnumerable items:
                foreach (var item in items)
                    AssertNoRoslynObjects(item, step);
                return;
        }
        var type = value.GetType();
        Assert.True(type.Namespace!.StartsWith("Arc.Generators", StringComparison.Ordinal) || type.IsValueType,
            $"step {step} carries a {type.FullName}; only Arc's equatable models belong in the pipeline");
        foreach (var property in type.GetProperties(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public).Where(p => p.GetIndexParameters().Length == 0))
            AssertNoRoslynObjects(property.GetValue(value), step);
    }
}
