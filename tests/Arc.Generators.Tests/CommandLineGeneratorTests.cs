using Arc.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Arc.Generators;

/// <summary>The generated command line (ArcCommandLine): option names, when it is written, and ARC0017.</summary>
public sealed class CommandLineGeneratorTests
{
    private const string Usings = "using System; using System.IO; using System.Threading; using System.Threading.Tasks; using Arc.Sdk; using Arc.Types;\n";

    private const string ModelBody = """
        public override FitResult Fit(ImageData x, ClassData y) => new(0, 0);
        public override ClassData Predict(ImageData x) => throw new NotSupportedException();
        public override void SaveWeights(Stream destination) { }
        public override void LoadWeights(Stream source) { }
    """;

    [Fact]
    public void AnUnbindableParameterIsReportedAsAWarningAndKeepsItsDefault()
    {
        string source = Usings + "[Model] internal partial class M : SupervisedModel<ImageData, ClassData> { public M(int size = 3, ImageData? /*!*/mask = null) { } " + ModelBody + " }";
        var outcome = GeneratorHarness.Run(source);

        var diagnostic = Assert.Single(outcome.GeneratorDiagnostics);
        Assert.Equal("ARC0017", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Equal(source.IndexOf("/*!*/", StringComparison.Ordinal) + "/*!*/".Length, diagnostic.Location.SourceSpan.Start);
        Assert.Contains("'mask'", diagnostic.GetMessage());
        Assert.Contains("Arc.Types.ImageData", diagnostic.GetMessage());

        // The model is still generated, the command line offers --size only, and everything compiles.
        Assert.Equal(["ArcCommandLine.g.cs", "M.Arc.g.cs", "M.InferenceModule.g.cs", "M.TrainingModule.g.cs"], outcome.Sources.Select(s => s.HintName).ToArray());
        string commandLine = outcome.Sources.Single(s => s.HintName == "ArcCommandLine.g.cs").Text;
        Assert.Contains("\"--size\"", commandLine);
        Assert.DoesNotContain("mask", commandLine);
        Assert.Empty(outcome.CompilationProblems);
    }

    [Fact]
    public void ProgramsWithoutModelsOrJobsGetNoCommandLine()
    {
        var outcome = GeneratorHarness.Run(Usings + "internal static partial class F { [Pod] public static int One() => 1; }");
        outcome.AssertClean();
        Assert.DoesNotContain(outcome.Sources, s => s.HintName == "ArcCommandLine.g.cs");
    }

    [Theory]
    [InlineData("learningRate", "learning-rate")]
    [InlineData("maxPerDigit", "max-per-digit")]
    [InlineData("max_per_digit", "max-per-digit")]
    [InlineData("HTTPPort", "http-port")]
    [InlineData("layers2Count", "layers2-count")]
    [InlineData("x", "x")]
    public void ParameterNamesBecomeKebabCase(string name, string expected)
        => Assert.Equal(expected, OptionNames.ToKebabCase(name));

    [Fact]
    public void TheGeneratorReservesExactlyTheRuntimesStandardOptions()
    {
        // The generator prefixes a parameter that would take a standard option's name; both sides must agree on the list.
        Assert.Equal(
            Arc.CommandLine.ArcCommandLineApp.StandardOptionNames.Order(StringComparer.Ordinal),
            OptionNames.Standard.Select(n => "--" + n).Order(StringComparer.Ordinal));
    }
}
