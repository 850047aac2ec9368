using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using System.Xml.Linq;
using Arc.Artifacts;
using Arc.Sdk;

namespace Arc.Interactive;

/// <summary>
/// Arc loaded from NuGet packages (<c>#r "nuget: Arc.Interactive"</c>) rather than from Arc.Interactive's build folder.
/// The build folder holds everything side by side (the generator, the worker program with its runtimeconfig/deps, the
/// libLibTorchSharp.so the build patched); packages put each assembly in its own package folder, so here:
/// <list type="bullet">
/// <item>the generator is the Arc.Sdk package's analyzer (<c>analyzers/dotnet/cs/Arc.Generators.dll</c>);</item>
/// <item>a cell is compiled against Arc.Interactive's dependency closure as the kernel resolved it;</item>
/// <item>one owned temporary folder (<c>/tmp/arc-notebook-…</c>) gathers links to that closure, the worker program,
/// libtorch's native files and a copy of libLibTorchSharp.so whose GLIBCXX_3.4.32 requirement is marked weak (the
/// build's fix, <see cref="ElfVersionNeed"/>), a copy of TorchSharp.dll marked as the build marks it
/// (<see cref="TorchSharpArgumentLifetime"/>), plus a runtimeconfig.json: the kernel loads the patched native library
/// from it, and <c>Target.LocalProcess</c> starts its workers from it.</item>
/// </list>
/// </summary>
internal static class PackagedArc
{
    /// <summary>The requirements the build's fix marks weak (build/Arc.TorchSharp.targets).</summary>
    private static readonly HashSet<string> WeakenedVersions = ["GLIBCXX_3.4.32"];

    private static readonly Lock Gate = new();
    private static string? _folder;

    private static string InteractiveFolder => Path.GetDirectoryName(typeof(PackagedArc).Assembly.Location)!;

    /// <summary>Whether Arc came from packages: the build folder has the generator beside this assembly, a package does not.</summary>
    public static bool InUse => !File.Exists(Path.Combine(InteractiveFolder, "Arc.Generators.dll"));

    /// <summary>Arc's generator: beside this assembly (build folder), else the Arc.Sdk package's analyzer.</summary>
    public static string GeneratorPath => InUse
        ? Path.Combine(PackageRoot(typeof(ArcRegistry).Assembly), "analyzers", "dotnet", "cs", "Arc.Generators.dll")
        : Path.Combine(InteractiveFolder, "Arc.Generators.dll");

    /// <summary>
    /// The managed files of Arc.Interactive's dependency closure, as this process resolves them (each package's folder
    /// in a notebook); the shared framework's and the hosting kernel's own assemblies are left out.
    /// </summary>
    public static IReadOnlyList<string> DependencyClosure()
    {
        string shared = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", ".."));
        string host = Path.GetFullPath(AppContext.BaseDirectory);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var files = new List<string>();
        var pending = new Stack<Assembly>([typeof(PackagedArc).Assembly]);
        while (pending.TryPop(out var assembly))
        {
            string location = assembly.Location;
            if (assembly.IsDynamic || location.Length == 0 || location.StartsWith(shared, StringComparison.Ordinal)
                || location.StartsWith(host, StringComparison.Ordinal))
                continue;
            files.Add(location);
            foreach (var name in assembly.GetReferencedAssemblies())
            {
                if (!seen.Add(name.Name!)) continue;
                try
                {
                    pending.Push((AssemblyLoadContext.GetLoadContext(assembly) ?? AssemblyLoadContext.Default).LoadFromAssemblyName(name));
                }
                catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
                {
                    // Referenced but not deployed (an optional dependency): nothing a cell can use either.
                }
            }
        }
        return files;
    }

    /// <summary>
    /// Once per process, where Arc came from packages: makes the folder described above, loads the patched native library
    /// into this process and points <c>Target.LocalProcess</c> at the folder's worker. Returns the folder, or null where
    /// Arc came from its build folder.
    /// </summary>
    /// <exception cref="FileNotFoundException">A file the packages should hold is missing.</exception>
    public static string? Prepare()
    {
        if (!InUse) return null;
        lock (Gate)
        {
            if (_folder is not null) return _folder;
            string folder = ArcTempPaths.CreateDirectory(ArcTempPaths.Notebook);
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                try { Directory.Delete(folder, recursive: true); }
                catch (IOException) { /* the sweep of dead owners' folders takes it */ }
            };

            var closure = DependencyClosure();
            foreach (string file in closure) Link(folder, file);
            MarkTorchSharp(folder, Named(closure, "TorchSharp"));
            // A copy, not a link: the dotnet host resolves the program's links and would look for its runtimeconfig in the
            // Arc.Sdk package's folder.
            string sdkFolder = Path.GetDirectoryName(typeof(ArcRegistry).Assembly.Location)!;
            File.Copy(Path.Combine(sdkFolder, "Arc.Worker.dll"), Path.Combine(folder, "Arc.Worker.dll"));

            if (OperatingSystem.IsLinux()) PrepareTorchNatives(folder, closure);
            WriteWorkerRuntimeConfig(folder);
            WorkerProcess.NotebookWorkerPath = Path.Combine(folder, "Arc.Worker.dll");
            return _folder = folder;
        }
    }

    // The workers' TorchSharp.dll a copy marked as Arc's build marks its output's (build/KeepTorchSharpArgumentsAlive.cs), in
    // place of the link: a worker then keeps TorchSharp's Scalars alive through native calls and decodes while it fits. The
    // kernel itself runs the package's unmarked copy, already loaded, and keeps TorchGcSafety's defence.
    private static void MarkTorchSharp(string folder, string torchSharp)
    {
        byte[] data = File.ReadAllBytes(torchSharp);
        TorchSharpArgumentLifetime.Mark(data);
        string copy = Path.Combine(folder, Path.GetFileName(torchSharp));
        File.Delete(copy);
        File.WriteAllBytes(copy, data);
    }

    // libtorch's native files (the package Arc.Torch depends on) linked in, libLibTorchSharp.so copied and patched, then
    // loaded here: TorchSharp's own load by name finds the loaded library, and its libtorch needs resolve through $ORIGIN.
    private static void PrepareTorchNatives(string folder, IReadOnlyList<string> closure)
    {
        string rid = RuntimeInformation.RuntimeIdentifier.StartsWith("linux-arm64", StringComparison.Ordinal) ? "linux-arm64" : "linux-x64";
        string torchSharpNative = Path.Combine(PackageRoot(Named(closure, "TorchSharp")), "runtimes", rid, "native");
        string libtorchNative = LibTorchNativeFolder(PackageRoot(Named(closure, "Arc.Torch")), rid);
        foreach (string file in Directory.GetFiles(libtorchNative)) Link(folder, file);

        string source = Path.Combine(torchSharpNative, "libLibTorchSharp.so");
        if (!File.Exists(source)) throw new FileNotFoundException($"TorchSharp's native library {source} is missing", source);
        byte[] data = File.ReadAllBytes(source);
        ElfVersionNeed.Weaken(data, WeakenedVersions);
        string patched = Path.Combine(folder, "libLibTorchSharp.so");
        File.WriteAllBytes(patched, data);
        NativeLibrary.Load(patched);
    }

    // The libtorch package Arc.Torch's package depends on (its nuspec names it and its version), beside the other packages.
    private static string LibTorchNativeFolder(string torchRoot, string rid)
    {
        string nuspec = Directory.GetFiles(torchRoot, "*.nuspec").FirstOrDefault()
            ?? throw new FileNotFoundException($"no .nuspec in Arc.Torch's package folder {torchRoot}");
        var dependency = XDocument.Load(nuspec).Descendants().FirstOrDefault(e => e.Name.LocalName == "dependency"
            && ((string?)e.Attribute("id"))?.StartsWith("libtorch-", StringComparison.OrdinalIgnoreCase) == true)
            ?? throw new InvalidOperationException($"{nuspec} names no libtorch package");
        string id = ((string)dependency.Attribute("id")!).ToLowerInvariant();
        string version = ((string?)dependency.Attribute("version") ?? "").Trim('[', ']', '(', ')', ' ').Split(',')[0];
        // <packages>/arc.torch/<version>/ → <packages>/<libtorch id>/<version>/runtimes/<rid>/native
        string packages = Path.GetFullPath(Path.Combine(torchRoot, "..", ".."));
        string native = Path.Combine(packages, id, version, "runtimes", rid, "native");
        return Directory.Exists(native) ? native : throw new DirectoryNotFoundException($"libtorch's native files are not at {native}");
    }

    // The worker runs on the kernel's runtime with ASP.NET Core (its gRPC host); with no deps.json every file of the folder
    // is the worker's. The GC setting is Arc.Worker's own (its project file says why).
    private static void WriteWorkerRuntimeConfig(string folder)
    {
        string version = $"{Environment.Version.Major}.{Environment.Version.Minor}.0";
        File.WriteAllText(Path.Combine(folder, "Arc.Worker.runtimeconfig.json"), $$"""
            {
              "runtimeOptions": {
                "tfm": "net{{Environment.Version.Major}}.{{Environment.Version.Minor}}",
                "frameworks": [
                  { "name": "Microsoft.NETCore.App", "version": "{{version}}" },
                  { "name": "Microsoft.AspNetCore.App", "version": "{{version}}" }
                ],
                "configProperties": { "System.GC.LOHThreshold": 2097152 }
              }
            }
            """);
    }

    private static void Link(string folder, string file)
    {
        string link = Path.Combine(folder, Path.GetFileName(file));
        if (!File.Exists(link)) File.CreateSymbolicLink(link, file);
    }

    // A package's assembly is <package root>/lib/<framework>/<name>.dll.
    private static string PackageRoot(Assembly assembly) => PackageRoot(assembly.Location);

    private static string PackageRoot(string assemblyPath) => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(assemblyPath)!, "..", ".."));

    private static string Named(IEnumerable<string> files, string name)
        => files.FirstOrDefault(f => string.Equals(Path.GetFileNameWithoutExtension(f), name, StringComparison.OrdinalIgnoreCase))
           ?? throw new FileNotFoundException($"{name}.dll is not among Arc.Interactive's dependencies as this process resolves them");
}
