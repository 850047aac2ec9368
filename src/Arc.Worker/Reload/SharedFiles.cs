namespace Arc.Worker;

/// <summary>
/// What the worker itself ships and therefore shares with every version of the user's code: the assemblies the host
/// put on its trusted list (the framework, Arc.*, TorchSharp, MessagePack, Grpc — everything in the worker's
/// deps.json) and the native libraries in its probing folders (libtorch). User code resolves these to the worker's
/// copies, so types such as <c>ISupervisedModel&lt;X, Y&gt;</c> are the same on both sides, and a client need not send them.
/// </summary>
internal sealed class SharedFiles
{
    private static readonly string[] NativeExtensions = [".so", ".dylib", ".dll"];

    private readonly HashSet<string> _assemblyNames;

    private SharedFiles(HashSet<string> assemblyNames, IReadOnlyList<string> fileNames)
    {
        _assemblyNames = assemblyNames;
        FileNames = fileNames;
    }

    /// <summary>File names (no folder) of the shared assemblies and native libraries, sorted: reported in Status.</summary>
    public IReadOnlyList<string> FileNames { get; }

    /// <summary>Whether the assembly named <paramref name="simpleName"/> comes from the worker, never from the user's folder.</summary>
    public bool IsShared(string? simpleName) => simpleName is not null && _assemblyNames.Contains(simpleName);

    public static SharedFiles OfThisProcess()
    {
        var trusted = Split("TRUSTED_PLATFORM_ASSEMBLIES");
        var names = new HashSet<string>(trusted.Select(Path.GetFileNameWithoutExtension).OfType<string>(), StringComparer.OrdinalIgnoreCase);
        var files = new SortedSet<string>(trusted.Select(Path.GetFileName).OfType<string>(), StringComparer.Ordinal);
        foreach (var folder in Split("NATIVE_DLL_SEARCH_DIRECTORIES").Where(Directory.Exists))
            foreach (var file in Directory.EnumerateFiles(folder))
                if (IsNativeLibrary(file) && !names.Contains(Path.GetFileNameWithoutExtension(file)))
                    files.Add(Path.GetFileName(file));
        return new SharedFiles(names, files.ToList());
    }

    private static bool IsNativeLibrary(string path)
    {
        string name = Path.GetFileName(path);
        return NativeExtensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase)) || name.Contains(".so.", StringComparison.Ordinal);
    }

    private static string[] Split(string key)
        => (AppContext.GetData(key) as string ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
}
