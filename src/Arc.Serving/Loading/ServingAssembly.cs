using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using Arc.Sdk;

namespace Arc.Serving;

/// <summary>
/// Finds the model's assembly in a module directory (or takes an assembly path), loads it with its own dependency list
/// and runs its module initializer, which registers its <c>[Model]</c> classes' inference modules
/// (<see cref="InferenceModules"/>): no type scanning. The worker loads user assemblies the same way.
/// </summary>
public static class ServingAssembly
{
    /// <summary>
    /// Loads the assembly <paramref name="path"/> names: a <c>.dll</c>, or a module directory holding exactly one
    /// program (a <c>*.runtimeconfig.json</c> next to its <c>.dll</c>) or exactly one <c>.dll</c> with a <c>.deps.json</c>.
    /// Returns the assembly's path.
    /// </summary>
    /// <exception cref="FileNotFoundException">Nothing to load there; the message says what was looked for.</exception>
    public static string Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string assemblyPath = Find(Path.GetFullPath(path));
        var resolver = new AssemblyDependencyResolver(assemblyPath);
        AssemblyLoadContext.Default.Resolving += (context, name) =>
            resolver.ResolveAssemblyToPath(name) is { } found ? context.LoadFromAssemblyPath(found) : null;
        AssemblyLoadContext.Default.ResolvingUnmanagedDll += (_, name) =>
            resolver.ResolveUnmanagedDllToPath(name) is { } found ? NativeLibrary.Load(found) : IntPtr.Zero;
        // An assembly the host already has (the same file name) is used as it is: loading a second copy would give two
        // InferenceModules tables.
        var name = AssemblyName.GetAssemblyName(assemblyPath);
        var assembly = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => AssemblyName.ReferenceMatchesDefinition(a.GetName(), name))
            ?? AssemblyLoadContext.Default.LoadFromAssemblyPath(assemblyPath);
        RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
        return assemblyPath;
    }

    /// <summary>
    /// The inference module for <paramref name="modelDirectory"/>: the one registered under the name its
    /// <c>arc-model.json</c> records.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No loaded assembly registered that model.</exception>
    public static IInferenceModule ModuleFor(string modelDirectory) => InferenceModules.Create(ModelDirectory.ModelNameOf(modelDirectory));

    private static string Find(string path)
    {
        if (File.Exists(path)) return path;
        if (!Directory.Exists(path)) throw new FileNotFoundException($"{path} is neither an assembly nor a module directory", path);
        var programs = Directory.GetFiles(path, "*.runtimeconfig.json")
            .Select(f => Path.Combine(path, Path.GetFileName(f)[..^".runtimeconfig.json".Length] + ".dll"))
            .Where(File.Exists).ToArray();
        if (programs.Length == 1) return programs[0];
        var libraries = Directory.GetFiles(path, "*.deps.json")
            .Select(f => Path.Combine(path, Path.GetFileName(f)[..^".deps.json".Length] + ".dll"))
            .Where(File.Exists).ToArray();
        if (programs.Length == 0 && libraries.Length == 1) return libraries[0];
        throw new FileNotFoundException(
            $"{path} should hold one built program (x.dll with x.runtimeconfig.json) or one library with its .deps.json; found " +
            $"{(programs.Length + libraries.Length == 0 ? "none" : string.Join(", ", programs.Concat(libraries).Distinct().Select(Path.GetFileName)))}: name the .dll instead", path);
    }
}
