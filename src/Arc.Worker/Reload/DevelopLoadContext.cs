using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace Arc.Worker;

/// <summary>
/// One version of the user's code: a collectible load context over its laid-out build folder. Assemblies the worker
/// shares (<see cref="SharedFiles"/>) resolve to the default context; every other assembly comes from this version's
/// folder (its root, or where its deps.json says), so a rebuilt dependency reloads with the model.
/// </summary>
internal sealed class DevelopLoadContext : AssemblyLoadContext
{
    private readonly string _directory;
    private readonly SharedFiles _shared;
    private readonly AssemblyDependencyResolver? _resolver;

    public DevelopLoadContext(string name, string directory, string mainAssemblyPath, SharedFiles shared)
        : base(name, isCollectible: true)
    {
        _directory = directory;
        _shared = shared;
        try
        {
            _resolver = new AssemblyDependencyResolver(mainAssemblyPath);
        }
        catch (InvalidOperationException)
        {
            // No readable deps.json (a hand-compiled assembly): the folder's root is then the only place to look.
            _resolver = null;
        }
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (_shared.IsShared(assemblyName.Name)) return null; // the default context's copy
        string local = Path.Combine(_directory, assemblyName.Name + ".dll");
        if (File.Exists(local)) return LoadFromAssemblyPath(local);
        return _resolver?.ResolveAssemblyToPath(assemblyName) is { } found ? LoadFromAssemblyPath(found) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
        => _resolver?.ResolveUnmanagedDllToPath(unmanagedDllName) is { } found ? NativeLibrary.Load(found) : IntPtr.Zero;
}
