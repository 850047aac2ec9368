using Arc.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Generators;

/// <summary>
/// One source per diagnostic situation. <c>/*!*/</c> marks where each expected diagnostic must start; the marker is
/// a comment, so it does not change what compiles. Every case also checks that no code is generated for the
/// erroneous declaration (no cascade of compiler errors).
/// </summary>
public sealed class DiagnosticTests
{
    private const string Marker = "/*!*/";

    internal const string Usings = "using System; using System.IO; using System.Threading; using System.Threading.Tasks; using System.Collections.Generic; using Arc.Sdk; using Arc.Types; using Arc.Datasets;\n";

    /// <summary>A processor over texts whose state type and constructor each case fills in.</summary>
    private static string Processor(string head, string state, string body = "")
        => "[Processor] public partial class " + head + " : DatasetProcessor<IReadOnlyList<string>, IReadOnlyList<string>, TextData, ClassData, " + state + "> { " + body + """
            protected override S FitState(IReadOnlyList<string> inputs, IReadOnlyList<string> targets) => throw new NotSupportedException();
            public override TextData ProcessInputs(IReadOnlyList<string> inputs) => throw new NotSupportedException();
            public override ClassData ProcessTargets(IReadOnlyList<string> targets) => throw new NotSupportedException();
        }
        """;

    /// <summary>The abstract members every model must implement.</summary>
    private const string ModelBody = """
        public override FitResult Fit(ImageData x, ClassData y) => new(0, 0);
        public override ClassData Predict(ImageData x) => throw new NotSupportedException();
        public override void SaveWeights(Stream destination) { }
        public override void LoadWeights(Stream source) { }
    """;

    private const string JobBody = """
        protected override ValueTask<Batch<ImageData, ClassData>> LoadSplitAsync(DataSplit split, CancellationToken cancellationToken) => throw new NotSupportedException();
    """;

    internal static readonly Dictionary<string, (string Id, string Source)> Cases = new()
    {
        ["ClassNotPartial"] = ("ARC0001", "[Model] public class " + Marker + "Plain : SupervisedModel<ImageData, ClassData> { " + ModelBody + " }"),
        ["ContainerNotPartial"] = ("ARC0001", "public static class " + Marker + "Outer { [Model] public partial class Inner : SupervisedModel<ImageData, ClassData> { " + ModelBody + " } }"),
        ["PodContainerNotPartial"] = ("ARC0001", "public static class " + Marker + "Functions { [Pod] public static int One() => 1; }"),
        ["ModelWithoutBase"] = ("ARC0002", "[Model] public partial class " + Marker + "Loose { }"),
        ["ModelWithJobBase"] = ("ARC0002", "[Model] public partial class " + Marker + "Confused : SupervisedJob<ImageData, ClassData> { " + JobBody + " }"),
        ["ModelOnARecord"] = ("ARC0002", "[Model] public partial record " + Marker + "Row(int Size);"),
        ["JobWithoutBase"] = ("ARC0003", "[Job] public partial class " + Marker + "Loose { }"),
        ["StreamHyperparameter"] = ("ARC0004", "[Model] public partial class M : SupervisedModel<ImageData, ClassData> { public M(Stream? " + Marker + "log = null) { } " + ModelBody + " }"),
        ["CharHyperparameter"] = ("ARC0004", "[Model] public partial class M : SupervisedModel<ImageData, ClassData> { public M(char " + Marker + "separator = ',') { } " + ModelBody + " }"),
        ["ObjectHyperparameter"] = ("ARC0004", "[Model] public partial class M : SupervisedModel<ImageData, ClassData> { public M(object? " + Marker + "anything = null) { } " + ModelBody + " }"),
        ["MatrixHyperparameter"] = ("ARC0004", "[Model] public partial class M : SupervisedModel<ImageData, ClassData> { public M(int[,]? " + Marker + "grid = null) { } " + ModelBody + " }"),
        ["DictionaryHyperparameter"] = ("ARC0004", "[Model] public partial class M : SupervisedModel<ImageData, ClassData> { public M(System.Collections.Generic.Dictionary<string, int>? " + Marker + "map = null) { } " + ModelBody + " }"),
        ["RefHyperparameter"] = ("ARC0004", "[Job] public partial class J : SupervisedJob<ImageData, ClassData> { public J(in int " + Marker + "size = 1) { } " + JobBody + " }"),
        ["PodStreamParameter"] = ("ARC0005", "public static partial class F { [Pod] public static int Length(Stream " + Marker + "stream) => 0; }"),
        ["PodObjectResult"] = ("ARC0005", "public static partial class F { [Pod] public static Task<object> " + Marker + "Anything() => Task.FromResult(new object()); }"),
        ["PodOutParameter"] = ("ARC0005", "public static partial class F { [Pod] public static void Split(out int " + Marker + "result) => result = 0; }"),
        ["DuplicateModelNames"] = ("ARC0006",
            "[" + Marker + "Model(Name = \"same\")] public partial class A : SupervisedModel<ImageData, ClassData> { " + ModelBody + " }\n" +
            "[" + Marker + "Model(Name = \"same\")] public partial class B : SupervisedModel<ImageData, ClassData> { " + ModelBody + " }"),
        ["DuplicateDefaultJobNames"] = ("ARC0006",
            "namespace One { [" + Marker + "Job] public partial class Digits : SupervisedJob<ImageData, ClassData> { " + JobBody + " } }\n" +
            "namespace Two { [" + Marker + "Job] public partial class Digits : SupervisedJob<ImageData, ClassData> { " + JobBody + " } }"),
        ["DuplicatePodNames"] = ("ARC0006",
            "public static partial class F { [" + Marker + "Pod(Name = \"p\")] public static int One() => 1; [" + Marker + "Pod(Name = \"p\")] public static int Two() => 2; }"),
        ["TwoPublicConstructors"] = ("ARC0007", "[Model] public partial class " + Marker + "M : SupervisedModel<ImageData, ClassData> { public M() { } public M(int size = 1) { } " + ModelBody + " }"),
        ["NoPublicConstructor"] = ("ARC0007", "[Model] public partial class " + Marker + "M : SupervisedModel<ImageData, ClassData> { private M() { } " + ModelBody + " }"),
        ["InstancePod"] = ("ARC0008", "public partial class F { [Pod] public int " + Marker + "One() => 1; }"),
        ["LocalFunctionPod"] = ("ARC0008", "public partial class F { public static int Outer() { [Pod] static int " + Marker + "Inner() => 1; return Inner(); } }"),
        ["HyperparameterWithoutDefault"] = ("ARC0009", "[Model] public partial class M : SupervisedModel<ImageData, ClassData> { public M(int " + Marker + "hidden) { } " + ModelBody + " }"),
        ["PrivateNestedModel"] = ("ARC0010", "public partial class Outer { [Model] private partial class " + Marker + "Hidden : SupervisedModel<ImageData, ClassData> { " + ModelBody + " } }"),
        ["ProtectedContainerOfPod"] = ("ARC0010", "public partial class Outer { protected static partial class " + Marker + "Inner { [Pod] public static int One() => 1; } }"),
        ["AbstractModel"] = ("ARC0011", "[Model] public abstract partial class " + Marker + "M : SupervisedModel<ImageData, ClassData> { }"),
        ["GenericModel"] = ("ARC0012", "[Model] public partial class " + Marker + "M<T> : SupervisedModel<ImageData, ClassData> { " + ModelBody + " }"),
        ["GenericPod"] = ("ARC0012", "public static partial class F { [Pod] public static T " + Marker + "Echo<T>(T value) => value; }"),
        ["PodInGenericType"] = ("ARC0012", "public static partial class " + Marker + "F<T> { [Pod] public static int One() => 1; }"),
        ["NameWithSpace"] = ("ARC0013", "[" + Marker + "Model(Name = \"has space\")] public partial class M : SupervisedModel<ImageData, ClassData> { " + ModelBody + " }"),
        ["NonAsciiDefaultName"] = ("ARC0013", "[" + Marker + "Job] public partial class Modèle : SupervisedJob<ImageData, ClassData> { " + JobBody + " }"),
        ["ParametersCollide"] = ("ARC0014", "[Model] public partial class M : SupervisedModel<ImageData, ClassData> { public M(int size = 1, int " + Marker + "Size = 2) { } " + ModelBody + " }"),
        ["ParameterNamedLikeRecordMember"] = ("ARC0014", "[Model] public partial class M : SupervisedModel<ImageData, ClassData> { public M(string " + Marker + "toString = \"\") { } " + ModelBody + " }"),
        ["ParameterNamedLikeRecord"] = ("ARC0014", "public static partial class F { [Pod] public static int Go(int " + Marker + "goArguments) => 1; }"),
        ["OverloadedPods"] = ("ARC0015", "public static partial class F { [Pod] public static int " + Marker + "Go(int a) => a; [Pod] public static int " + Marker + "Go(string s) => 0; }"),
        ["RemoteFormNameTaken"] = ("ARC0016", "public static partial class F { [Pod] public static int " + Marker + "GoAsync(int a) => a; public static int GoRemoteAsync() => 0; }"),
        ["RegistrationFieldNameTaken"] = ("ARC0016", "public static partial class F { [Pod] public static int " + Marker + "Go(int a) => a; private static readonly int GoPod = 1; }"),
        ["ContractForTheOtherType"] = ("ARC0020", "[Model] [" + Marker + "TableContract(\"a:float32\")] public partial class M : SupervisedModel<ImageData, ClassData> { " + ModelBody + " }"),
        ["ContractColumnWithoutDType"] = ("ARC0020", "[Model] [" + Marker + "TableContract(\"a\")] public partial class M : SupervisedModel<TableData, ClassData> { " + ModelBody.Replace("ImageData", "TableData") + " }"),
        ["ContractImageSizeZero"] = ("ARC0020", "[Model] [" + Marker + "ImageContract(Height = 0)] public partial class M : SupervisedModel<ImageData, ClassData> { " + ModelBody + " }"),
        ["ContractSideTwice"] = ("ARC0020", "[Model] [ClassContract(\"a\")] [" + Marker + "ClassContract(\"b\")] public partial class M : SupervisedModel<ImageData, ClassData> { " + ModelBody + " }"),
        ["ContractClassNameTwice"] = ("ARC0020", "[Job] [" + Marker + "ClassContract(\"a\", \"a\")] public partial class J : SupervisedJob<ImageData, ClassData> { " + JobBody + " }"),
        ["CommandLineCannotBindData"] = ("ARC0017", "[Model] public partial class M : SupervisedModel<ImageData, ClassData> { public M(ImageData? " + Marker + "mask = null) { } " + ModelBody + " }"),
        ["ProcessorWithoutBase"] = ("ARC0040", "[Processor] public partial class " + Marker + "Loose { }"),
        ["ProcessorParameterWithoutProperty"] = ("ARC0041", "public sealed record S(string[] Words);\n" + Processor("P", "S", "public P(int " + Marker + "maxWords = 10) { }")),
        ["ProcessorParameterPropertyOfAnotherType"] = ("ARC0041", "public sealed record S(string[] Words);\n" + Processor("P", "S", "public P(int " + Marker + "maxWords = 10) { } public long MaxWords => 0;")),
        ["ProcessorStateNotWire"] = ("ARC0041", "public sealed record S(Stream " + Marker + "Log);\n" + Processor("P", "S")),
        ["ProcessorStateWithoutReadBack"] = ("ARC0041", "public sealed class S { public S(int " + Marker + "size) { } }\n" + Processor("P", "S")),
        ["ProcessorHyperparameterNotSerializable"] = ("ARC0004", "public sealed record S(int Size);\n" + Processor("P", "S", "public P(object? " + Marker + "anything = null) { } public object? Anything { get; }")),
        ["TwoPodsOneRemoteForm"] = ("ARC0016", "public static partial class F { [Pod] public static int " + Marker + "Go(int a) => a; [Pod] public static int " + Marker + "GoAsync(int a) => a; }"),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void ReportsTheDiagnosticAtItsLocationAndGeneratesNothingForIt(string caseName)
    {
        var (id, markedSource) = Cases[caseName];
        string source = Usings + markedSource;
        var expectedStarts = MarkerPositions(source);
        var outcome = GeneratorHarness.Run(source);

        var reported = outcome.GeneratorDiagnostics.OrderBy(d => d.Location.SourceSpan.Start).ToList();
        Assert.All(reported, d => Assert.Equal(id, d.Id));
        Assert.Equal(expectedStarts, reported.Select(d => d.Location.SourceSpan.Start).ToList());
        Assert.All(reported, d =>
        {
            Assert.Equal(id == "ARC0017" ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error, d.Severity);
            Assert.Equal("input.cs", d.Location.GetLineSpan().Path);
            Assert.True(d.Location.SourceSpan.Length > 0, "the location should cover the offending code");
        });
        // A duplicate name is a compilation-wide problem: each class is fine on its own and still gets its code; and a
        // parameter the command line cannot bind (ARC0017) costs only its option, the class is generated.
        if (id is not ("ARC0006" or "ARC0017"))
            Assert.Empty(outcome.Sources);
    }

    [Fact]
    public void DuplicateNamesPointAtEachOther()
    {
        var (_, markedSource) = Cases["DuplicateModelNames"];
        var outcome = GeneratorHarness.Run(Usings + markedSource);
        var reported = outcome.GeneratorDiagnostics.OrderBy(d => d.Location.SourceSpan.Start).ToList();
        Assert.Equal(2, reported.Count);
        Assert.Equal(reported[1].Location.SourceSpan, Assert.Single(reported[0].AdditionalLocations).SourceSpan);
        Assert.Equal(reported[0].Location.SourceSpan, Assert.Single(reported[1].AdditionalLocations).SourceSpan);
        Assert.Contains("'A'", reported[0].GetMessage());
        Assert.Contains("'B'", reported[0].GetMessage());
    }

    [Fact]
    public void AModelAndAJobMayShareAName()
    {
        var outcome = GeneratorHarness.Run(Usings +
            "[Model(Name = \"digits\")] internal partial class M : SupervisedModel<ImageData, ClassData> { " + ModelBody + " }\n" +
            "[Job(Name = \"digits\")] internal partial class J : SupervisedJob<ImageData, ClassData> { " + JobBody + " }");
        outcome.AssertClean();
        Assert.Equal(["ArcCommandLine.g.cs", "J.Arc.g.cs", "M.Arc.g.cs"], outcome.Sources.Select(s => s.HintName).ToArray());
    }

    [Fact]
    public void AnErroneousClassDoesNotStopTheOthers()
    {
        var outcome = GeneratorHarness.Run(Usings +
            "[Model] internal class Broken : SupervisedModel<ImageData, ClassData> { " + ModelBody + " }\n" +
            "[Model] internal partial class Fine : SupervisedModel<ImageData, ClassData> { " + ModelBody + " }");
        Assert.Equal("ARC0001", Assert.Single(outcome.GeneratorDiagnostics).Id);
        Assert.Equal(["ArcCommandLine.g.cs", "Fine.Arc.g.cs"], outcome.Sources.Select(s => s.HintName).ToArray());
        Assert.Empty(outcome.CompilationProblems);
    }

    [Fact]
    public void MessagesNameTheProblemAndTheFix()
    {
        var outcome = GeneratorHarness.Run(Usings + Cases["StreamHyperparameter"].Source);
        string message = Assert.Single(outcome.GeneratorDiagnostics).GetMessage();
        Assert.Contains("'log'", message);
        Assert.Contains("System.IO.Stream", message);
        Assert.Contains("use bool, an integer type", message);
    }

    [Theory]
    [InlineData("ModelWithoutBase", typeof(SupervisedModel<,>), "[Model]")]
    [InlineData("JobWithoutBase", typeof(SupervisedJob<,>), "[Job]")]
    public void MissingBaseMessagesNameTheBaseAsItIsDeclared(string caseName, Type baseType, string attribute)
    {
        // The namespace and the type parameters' names come from the real type, so a move or a rename shows up here.
        string generic = $"{baseType.Name[..baseType.Name.IndexOf('`')]}<{string.Join(", ", baseType.GetGenericArguments().Select(a => a.Name))}>";
        var outcome = GeneratorHarness.Run(Usings + Cases[caseName].Source);
        string message = Assert.Single(outcome.GeneratorDiagnostics).GetMessage();
        Assert.Contains($"does not derive from {baseType.Namespace}.{generic}; derive from {generic} or remove {attribute}", message);
        Assert.DoesNotContain("TInput", message);
        Assert.DoesNotContain("TOutput", message);
        Assert.DoesNotContain("TTarget", message);
    }

    [Fact]
    public void EveryDescriptorHasATestCase()
    {
        Assert.NotEmpty(DiagnosticCatalog.All);
        Assert.Equal(DiagnosticCatalog.All.Count, DiagnosticCatalog.All.Select(d => d.Id).Distinct().Count());
        foreach (var descriptor in DiagnosticCatalog.All)
        {
            Assert.Matches("^ARC[0-9]{4}$", descriptor.Id);
            Assert.Equal("Arc", descriptor.Category);
            // ARC0017 alone is a warning: the class is generated, only its parameter lacks a command-line option.
            Assert.Equal(descriptor.Id == "ARC0017" ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error, descriptor.DefaultSeverity);
            Assert.True(descriptor.IsEnabledByDefault);
            Assert.False(string.IsNullOrWhiteSpace(descriptor.Title.ToString()));
            Assert.Contains(Cases.Values, c => c.Id == descriptor.Id);
        }
    }

    private static List<int> MarkerPositions(string source)
    {
        var starts = new List<int>();
        for (int at = source.IndexOf(Marker, StringComparison.Ordinal); at >= 0; at = source.IndexOf(Marker, at + 1, StringComparison.Ordinal))
            starts.Add(at + Marker.Length);
        return starts;
    }
}
