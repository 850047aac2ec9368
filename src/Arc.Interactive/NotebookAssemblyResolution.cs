using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace Arc.Interactive;

/// <summary>
/// Lets a notebook kernel (another program, with its own dependency list) load Arc from this assembly's folder: managed
/// and native files through this folder's deps.json (libtorch's native files included, where the build patched them for
/// older libstdc++), and the ASP.NET Core shared framework that Arc's worker host is built on, which a kernel such as
/// dotnet-repl does not load. Installed once, before anything touches an Arc type.
/// </summary>
internal static class NotebookAssemblyResolution
{
    private static int _installed;

    public static void Install()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 1) return;
        string here = typeof(NotebookAssemblyResolution).Assembly.Location;
        var resolver = new AssemblyDependencyResolver(here);
        string folder = Path.GetDirectoryName(here)!;
        AssemblyLoadContext.Default.Resolving += (context, name) =>
        {
            if (resolver.ResolveAssemblyToPath(name) is { } path) return context.LoadFromAssemblyPath(path);
            string local = Path.Combine(folder, name.Name + ".dll");
            if (File.Exists(local)) return context.LoadFromAssemblyPath(local);
            return AspNetCoreFramework() is { } aspnet && File.Exists(Path.Combine(aspnet, name.Name + ".dll"))
                ? context.LoadFromAssemblyPath(Path.Combine(aspnet, name.Name + ".dll"))
                : null;
        };
        AssemblyLoadContext.Default.ResolvingUnmanagedDll += (_, name) =>
            resolver.ResolveUnmanagedDllToPath(name) is { } path ? NativeLibrary.Load(path) : IntPtr.Zero;
    }

    // The ASP.NET Core shared framework of the running runtime's version (…/shared/Microsoft.NETCore.App/10.0.x →
    // …/shared/Microsoft.AspNetCore.App/10.0.x), else its newest of the same major version.
    private static string? AspNetCoreFramework()
    {
        string core = RuntimeEnvironment.GetRuntimeDirectory().TrimEnd(Path.DirectorySeparatorChar);
        var shared = Directory.GetParent(core)?.Parent;
        if (shared is null) return null;
        string same = Path.Combine(shared.FullName, "Microsoft.AspNetCore.App", Path.GetFileName(core));
        if (Directory.Exists(same)) return same;
        string major = Environment.Version.Major + ".";
        var candidates = Directory.Exists(Path.Combine(shared.FullName, "Microsoft.AspNetCore.App"))
            ? Directory.GetDirectories(Path.Combine(shared.FullName, "Microsoft.AspNetCore.App"), major + "*")
            : [];
        return candidates.OrderBy(d => d, StringComparer.Ordinal).LastOrDefault();
    }
}
