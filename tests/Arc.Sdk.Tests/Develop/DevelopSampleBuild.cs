using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Testing;

/// <summary>
/// Builds a tiny develop-mode sample into a folder the way <c>dotnet build</c> would lay it out, but in-process with
/// Roslyn and Arc's own generators (fast enough to rebuild several times in a test): <c>DevSample.dll</c> (a
/// <c>[Model]</c> whose answer is one line of code), <c>DevSample.Labels.dll</c> (a dependency that does not change),
/// a data file, and a copy of <c>Arc.Types.dll</c> (as every build output has; the worker ships its own). Shared by
/// the develop-mode tests and the <c>worker</c> bench group.
/// </summary>
internal sealed class DevelopSampleBuild
{
    public const string ModelName = "devmodel";
    public const string ModelAssembly = "DevSample.dll";
    public static readonly string[] Labels = ["zero", "one", "two", "three", "four", "five", "six", "seven"];

    private static readonly Lazy<ISourceGenerator[]> Generators = new(LoadGenerators);
    private static readonly Lazy<MetadataReference[]> Framework = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(path => path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToArray());

    public DevelopSampleBuild(string folder)
    {
        Folder = folder;
        Directory.CreateDirectory(folder);
        string labels = "namespace DevSample; public static class Labels { public static readonly string[] Names = [" +
                        string.Join(", ", Labels.Select(l => $"\"{l}\"")) + "]; }";
        Emit("DevSample.Labels", labels, Path.Combine(folder, "DevSample.Labels.dll"));
        File.WriteAllText(Path.Combine(folder, "labels.txt"), string.Join('\n', Labels));
        File.Copy(typeof(Arc.Types.ImageData).Assembly.Location, Path.Combine(folder, "Arc.Types.dll"), overwrite: true);
    }

    public string Folder { get; }

    public string AssemblyPath => Path.Combine(Folder, ModelAssembly);

    /// <summary>
    /// (Re)builds <c>DevSample.dll</c>: a model answering class <paramref name="answer"/> for every row (plus its
    /// <c>shift</c> hyperparameter), registered as <paramref name="registeredName"/>; with
    /// <paramref name="constructorThrows"/> its constructor throws. With <paramref name="commandLine"/> it is compiled
    /// against Arc.CommandLine, as a program with a <c>Main</c> is, so the generators also write its
    /// <c>ArcCommandLine</c> — but Arc.CommandLine.dll is not put in the folder, as a worker does not have it.
    /// <paramref name="revision"/> only changes the assembly's bytes (a constant), so that builds with the same answer
    /// still differ, as a user's successive edits do.
    /// </summary>
    public void BuildModel(int answer, string registeredName = ModelName, bool constructorThrows = false, bool commandLine = false, int revision = 0)
    {
        string constructorBody = constructorThrows
            ? "throw new System.InvalidOperationException(\"DevModel v" + answer + " cannot start: the constructor is broken\");"
            : "_shift = shift;";
        string source = $$"""
            using Arc.Sdk;
            using Arc.Types;

            namespace DevSample;

            [Model(Name = "{{registeredName}}")]
            public partial class DevModel : SupervisedModel<ImageData, ClassData>
            {
                private const int Answer = {{answer}};
                public const int Revision = {{revision}};
                private readonly int _shift;

                public DevModel(int shift = 0) { {{constructorBody}} }

                public override FitResult Fit(ImageData x, ClassData y) => new(0, x.Count);

                public override ClassData Predict(ImageData x)
                {
                    var answers = new long[x.Count];
                    System.Array.Fill(answers, (long)(Answer + _shift));
                    return new ClassData(answers, Labels.Names);
                }

                public override void SaveWeights(System.IO.Stream destination) => destination.WriteByte((byte)Answer);

                public override void LoadWeights(System.IO.Stream source) { }
            }
            """;
        string[] references = commandLine
            ? [Path.Combine(Folder, "DevSample.Labels.dll"), StampedPath("ArcCommandLinePath")]
            : [Path.Combine(Folder, "DevSample.Labels.dll")];
        Emit("DevSample", source, AssemblyPath, references);
    }

    /// <summary>The registered name of <see cref="BuildJobAndPods"/>'s job.</summary>
    public const string JobName = "devjob";

    /// <summary>The registered name of <see cref="BuildJobAndPods"/>'s pod; <see cref="DevelopPodsTests"/> declares one of the same name and signature.</summary>
    public const string PodName = "devsample.where";

    /// <summary>
    /// (Re)builds <c>DevSample.dll</c> with a <c>[Job]</c> and a <c>[Pod]</c> whose answers name <paramref name="version"/>
    /// and the process they run in: the job's every sample is the text <c>"v{version} {process id}"</c> (<c>rows</c>
    /// samples per split), and the pod <see cref="PodName"/> returns the same text (plus its <c>suffix</c> argument).
    /// </summary>
    public void BuildJobAndPods(int version)
    {
        string source = $$"""
            using System;
            using System.Linq;
            using System.Threading;
            using System.Threading.Tasks;
            using Arc.Sdk;
            using Arc.Types;

            namespace DevSample;

            [Job(Name = "{{JobName}}")]
            public partial class DevJob : SupervisedJob<TextData, ClassData>
            {
                private readonly int _rows;

                public DevJob(int rows = 2) => _rows = rows;

                protected override ValueTask<Batch<TextData, ClassData>> LoadSplitAsync(DataSplit split, CancellationToken cancellationToken)
                {
                    var texts = Enumerable.Repeat(DevPods.Where(""), _rows).ToArray();
                    return ValueTask.FromResult(new Batch<TextData, ClassData>(new TextData(texts), new ClassData((ReadOnlySpan<long>)new long[_rows], Labels.Names)));
                }
            }

            public static partial class DevPods
            {
                [Pod(Name = "{{PodName}}")]
                public static string Where(string suffix) => "v{{version}} " + Environment.ProcessId + suffix;
            }
            """;
        Emit("DevSample", source, AssemblyPath, Path.Combine(Folder, "DevSample.Labels.dll"));
    }

    /// <summary>Compiles <paramref name="source"/> (with Arc's generators) into <paramref name="outputPath"/>; throws on any error.</summary>
    public static void Emit(string assemblyName, string source, string outputPath, params string[] references)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create(assemblyName,
            [CSharpSyntaxTree.ParseText(source, parse, assemblyName + ".cs")],
            Framework.Value.Concat(references.Select(r => MetadataReference.CreateFromFile(r))),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, deterministic: true,
                specificDiagnosticOptions: [new("CS1701", ReportDiagnostic.Suppress), new("CS1702", ReportDiagnostic.Suppress)]));
        CSharpGeneratorDriver.Create(Generators.Value, parseOptions: parse)
            .RunGeneratorsAndUpdateCompilation(compilation, out var generated, out var generatorDiagnostics);
        using var image = new MemoryStream();
        var result = generated.Emit(image);
        var errors = generatorDiagnostics.Concat(result.Diagnostics).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (!result.Success || errors.Count > 0)
            throw new InvalidOperationException($"building {assemblyName} failed:\n{string.Join('\n', errors)}");
        File.WriteAllBytes(outputPath, image.ToArray());
    }

    // The project references Arc.Generators (and Arc.CommandLine) without their assemblies among its own; their build
    // output paths are stamped into this assembly.
    private static string StampedPath(string key)
    {
        string path = typeof(DevelopSampleBuild).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == key)?.Value
            ?? throw new InvalidOperationException($"this assembly has no {key} metadata (see its .csproj)");
        if (!File.Exists(path)) throw new FileNotFoundException($"{key}: {path} was not built", path);
        return path;
    }

    private static ISourceGenerator[] LoadGenerators()
    {
        string path = StampedPath("ArcGeneratorsPath");
        return Assembly.LoadFrom(path).GetTypes()
            .Where(t => typeof(IIncrementalGenerator).IsAssignableFrom(t) && !t.IsAbstract && t.GetCustomAttribute<GeneratorAttribute>() is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => ((IIncrementalGenerator)Activator.CreateInstance(t)!).AsSourceGenerator())
            .ToArray();
    }
}
