using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace Arc.Sdk;

/// <summary>
/// Loads a user's built assembly the one way Arc does (the worker, <c>arc train</c>, model archives): into the default
/// context, its dependencies resolved from its own <c>.deps.json</c> (managed and native), then its module initializer
/// run, which registers its <c>[Model]</c>, <c>[Job]</c> and <c>[Pod]</c> classes (generated code): no reflection scanning.
/// </summary>
public static class UserAssemblies
{
    private static readonly Dictionary<string, Assembly> Loaded = new(StringComparer.Ordinal);

    /// <summary>Loads the assembly at <paramref name="path"/> (once per path) and runs its module initializer.</summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    public static Assembly Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        path = Path.GetFullPath(path);
        lock (Loaded)
        {
            if (Loaded.TryGetValue(path, out var loaded)) return loaded;
            if (!File.Exists(path)) throw new FileNotFoundException($"the model assembly {path} does not exist", path);
            var resolver = new AssemblyDependencyResolver(path);
            AssemblyLoadContext.Default.Resolving += (context, name) =>
                resolver.ResolveAssemblyToPath(name) is { } found ? context.LoadFromAssemblyPath(found) : null;
            AssemblyLoadContext.Default.ResolvingUnmanagedDll += (_, name) =>
                resolver.ResolveUnmanagedDllToPath(name) is { } found ? NativeLibrary.Load(found) : IntPtr.Zero;
            Assembly assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(path);
            RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
            Loaded[path] = assembly;
            return assembly;
        }
    }
}
