using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using Arc.Artifacts;
using Arc.Sdk;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Arc.Interactive;

/// <summary>A compiler or generator message about a cell, at the cell's own line and column (0-based).</summary>
internal sealed record CellDiagnostic(string Id, DiagnosticSeverity Severity, string Message, int Line, int Column, int EndLine, int EndColumn)
{
    /// <summary>As the compiler writes it, 1-based: <c>(3,14): error ARC0003: ...</c>.</summary>
    public override string ToString() => $"({Line + 1},{Column + 1}): {Severity.ToString().ToLowerInvariant()} {Id}: {Message}";
}

/// <summary>
/// Compiles cells that declare Arc units into assemblies, as a project would compile them: C# script cells are
/// submissions, on which source generators never run, so such a cell is compiled instead as an ordinary library with
/// Arc's generator (the same generated DeployAsync, Registration, Client... and the same ARC diagnostics), referencing
/// Arc, the framework and the cells compiled before it. Each run is a new assembly with its types in a namespace of
/// its own; later cells reach the newest version through aliases (<see cref="Aliases"/>), and its registrations replace
/// the previous version's. The files stay on disk (a worker process loads them) until the kernel is disposed or its
/// process exits; they are in an owned temporary folder (<c>/tmp/arc-notebook-&lt;pid&gt;-&lt;start&gt;-…</c>), so a
/// killed kernel's folder is swept by the next Arc process that makes a temporary path or stops a worker.
/// </summary>
internal sealed class CellCompiler : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<CompiledCell> _cells = [];
    private readonly string _folder = ArcTempPaths.CreateDirectory(ArcTempPaths.Notebook);
    private readonly Lazy<IReadOnlyList<MetadataReference>> _references = new(LoadReferences);
    private readonly Lazy<IReadOnlyList<ISourceGenerator>> _generators = new(LoadGenerators);
    private static int _version; // process-wide: every cell assembly has a name of its own
    private static readonly List<CompiledCell> AllCells = []; // every kernel's, for the process-wide registry

    public CellCompiler() => AppDomain.CurrentDomain.ProcessExit += OnProcessExit;

    /// <summary>The folder the cell assemblies are written to.</summary>
    public string Folder => _folder;

    /// <summary>Removes the cell assemblies (the kernel is gone: no later cell and no new worker will load them).</summary>
    public void Dispose()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        RemoveFolder();
    }

    private void OnProcessExit(object? sender, EventArgs e) => RemoveFolder();

    private void RemoveFolder()
    {
        try { Directory.Delete(_folder, recursive: true); }
        catch (DirectoryNotFoundException) { }
        catch (IOException) { /* a file still held open: the sweep of dead owners' folders takes it later */ }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>The newest version of every type name a compiled cell declared.</summary>
    public IReadOnlyDictionary<string, CompiledCell> Newest
    {
        get
        {
            lock (_gate)
            {
                var newest = new Dictionary<string, CompiledCell>(StringComparer.Ordinal);
                foreach (var cell in _cells)
                    foreach (string name in cell.TypeNames) newest[name] = cell;
                return newest;
            }
        }
    }

    /// <summary>Using aliases to the newest version of every compiled type, except <paramref name="except"/>.</summary>
    public string Aliases(IEnumerable<string>? except = null)
    {
        var skip = new HashSet<string>(except ?? [], StringComparer.Ordinal);
        return string.Concat(Newest.Where(e => !skip.Contains(e.Key)).OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => $"using {e.Key} = global::{e.Value.Namespace}.{e.Key};\n"));
    }

    /// <summary>
    /// Compiles <paramref name="code"/> (usings and type declarations) with Arc's generator, loads it and runs its
    /// registrations. Returns the cell, or null with the errors; warnings come back either way.
    /// </summary>
    public (CompiledCell? Cell, IReadOnlyList<CellDiagnostic> Diagnostics) Compile(string code, CellDeclarations declarations)
    {
        lock (_gate)
        {
            int version = Interlocked.Increment(ref _version);
            string ns = $"ArcCells.Cell{version}";
            string name = $"ArcCell{version}";
            // The cell's text is wrapped in a namespace of this version; #line keeps every position the cell's own.
            string source = Aliases(declarations.TypeNames) + $"namespace {ns}\n{{\n#line 1 \"cell.cs\"\n{code}\n#line default\n}}\n";
            var parse = new CSharpParseOptions(LanguageVersion.Preview);
            var tree = CSharpSyntaxTree.ParseText(source, parse, path: "cell.cs");
            var usings = CSharpSyntaxTree.ParseText(ImplicitUsings, parse, path: "usings.cs");
            var references = _references.Value.Concat(_cells.Select(c => MetadataReference.CreateFromFile(c.Path))).ToList();
            var compilation = CSharpCompilation.Create(name, [usings, tree], references,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable,
                    optimizationLevel: OptimizationLevel.Release));
            var driver = CSharpGeneratorDriver.Create(_generators.Value, parseOptions: parse);
            driver.RunGeneratorsAndUpdateCompilation(compilation, out var generated, out var generatorDiagnostics);

            string path = Path.Combine(_folder, name + ".dll");
            Microsoft.CodeAnalysis.Emit.EmitResult emitted;
            using (var file = File.Create(path))
                emitted = generated.Emit(file);
            var diagnostics = generatorDiagnostics.Concat(emitted.Diagnostics)
                .Where(d => d.Severity is DiagnosticSeverity.Error or DiagnosticSeverity.Warning && !d.IsSuppressed)
                .Select(ToCell).Distinct().ToList();
            if (!emitted.Success || diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
            {
                File.Delete(path);
                return (null, diagnostics);
            }

            // Earlier cells' registrations of the same types give way to this one's (same names, new code): the registry
            // is one per process, and in a notebook the cell run last wins.
            lock (AllCells)
            {
                foreach (var replaced in AllCells.Where(c => c.TypeNames.Intersect(declarations.TypeNames).Any()))
                    ArcRegistry.Forget(replaced.Assembly);
            }
            var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(path);
            RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
            var cell = new CompiledCell(assembly, path, ns, declarations.TypeNames);
            _cells.Add(cell);
            lock (AllCells) AllCells.Add(cell);
            return (cell, diagnostics);
        }
    }

    // What a C# notebook cell (and a project with ImplicitUsings) can use without a using directive.
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private static CellDiagnostic ToCell(Diagnostic d)
    {
        var span = d.Location.GetMappedLineSpan();
        bool inCell = d.Location.IsInSource && span.Path == "cell.cs" && span.HasMappedPath;
        var (start, end) = inCell ? (span.StartLinePosition, span.EndLinePosition) : (default, default);
        return new CellDiagnostic(d.Id, d.Severity, d.GetMessage(System.Globalization.CultureInfo.InvariantCulture),
            start.Line, start.Character, end.Line, end.Character);
    }

    // The framework (this runtime's trusted assemblies) and every managed file beside this assembly (Arc and its
    // dependencies) or, where Arc came from packages, of its dependency closure; a name in both is taken from the framework.
    private static IReadOnlyList<MetadataReference> LoadReferences()
    {
        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string folder = Path.GetDirectoryName(typeof(CellCompiler).Assembly.Location)!;
        foreach (string file in Directory.GetFiles(folder, "*.dll"))
            if (IsManaged(file)) byName[Path.GetFileNameWithoutExtension(file)] = file;
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string tpa)
            foreach (string file in tpa.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                string fileName = Path.GetFileNameWithoutExtension(file);
                if (!byName.ContainsKey(fileName) || file.Contains("/shared/Microsoft.NETCore.App/", StringComparison.Ordinal))
                    byName[fileName] = file;
            }
        foreach (string aspnet in AspNetCoreAssemblies())
            byName.TryAdd(Path.GetFileNameWithoutExtension(aspnet), aspnet);
        if (PackagedArc.InUse) // Arc from packages: each assembly in its own package folder
            foreach (string file in PackagedArc.DependencyClosure())
                byName.TryAdd(Path.GetFileNameWithoutExtension(file), file);
        byName.Remove("Arc.Generators"); // an analyzer, not a reference
        return byName.Values.Where(IsManaged).Select(f => (MetadataReference)MetadataReference.CreateFromFile(f)).ToList();
    }

    private static IEnumerable<string> AspNetCoreAssemblies()
    {
        string core = System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory().TrimEnd(Path.DirectorySeparatorChar);
        string aspnet = Path.Combine(Directory.GetParent(core)!.Parent!.FullName, "Microsoft.AspNetCore.App", Path.GetFileName(core));
        return Directory.Exists(aspnet) ? Directory.GetFiles(aspnet, "*.dll") : [];
    }

    private static bool IsManaged(string file)
    {
        try
        {
            using var stream = File.OpenRead(file);
            using var reader = new System.Reflection.PortableExecutable.PEReader(stream);
            return reader.HasMetadata;
        }
        catch (Exception e) when (e is IOException or BadImageFormatException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    // Arc's generators, from the Arc.Generators.dll copied beside this assembly (build folder) or Arc.Sdk's package.
    private static IReadOnlyList<ISourceGenerator> LoadGenerators()
    {
        string path = PackagedArc.GeneratorPath;
        if (!File.Exists(path))
            throw new FileNotFoundException($"Arc's generator {path} is missing: Arc.Interactive's build copies it beside Arc.Interactive.dll, the Arc.Sdk package holds it under analyzers/dotnet/cs", path);
        var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(path);
        return assembly.GetTypes()
            .Where(t => !t.IsAbstract && t.GetCustomAttribute<GeneratorAttribute>() is not null)
            .Select(t => Activator.CreateInstance(t) switch
            {
                IIncrementalGenerator incremental => incremental.AsSourceGenerator(),
                ISourceGenerator plain => plain,
                var other => throw new InvalidOperationException($"{t} is marked [Generator] but is no generator ({other})"),
            })
            .ToList();
    }
}
