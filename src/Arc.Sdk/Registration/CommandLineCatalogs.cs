using System.Collections.Concurrent;
using System.Reflection;

namespace Arc.Sdk;

/// <summary>
/// The generated command lines of loaded program assemblies: generated code registers its catalog here when its
/// assembly loads, and Arc.CommandLine finds it (<c>CommandLineCatalog.ForAssembly</c>, used by
/// <c>arc train --assembly</c>) without reflection.
/// </summary>
/// <remarks>
/// The registry is in Arc.Sdk and holds the catalog as an <see cref="object"/> made on first use so that a module
/// initializer refers to nothing of Arc.CommandLine: a host that loads a program without that assembly (a develop
/// worker, a <c>Target.LocalProcess</c> worker, a model archive's runner) runs the initializer and simply never asks
/// for the catalog. Only the catalog's factory, compiled when it is first called, names Arc.CommandLine's types.
/// </remarks>
public static class CommandLineCatalogs
{
    private static readonly ConcurrentDictionary<Assembly, Func<object>> ByAssembly = new();

    /// <summary>Called by generated code: <paramref name="catalog"/> makes <paramref name="assembly"/>'s catalog when asked.</summary>
    public static void Register(Assembly assembly, Func<object> catalog)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentNullException.ThrowIfNull(catalog);
        ByAssembly[assembly] = catalog;
    }

    /// <summary>The catalog <paramref name="assembly"/> registered (made now), or null when it has no generated command line.</summary>
    public static object? Find(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return ByAssembly.TryGetValue(assembly, out var catalog) ? catalog() : null;
    }

    /// <summary>Forgets <paramref name="assembly"/>'s catalog, so that an unloaded load context is not kept alive by it.</summary>
    internal static void Unregister(Assembly assembly) => ByAssembly.TryRemove(assembly, out _);
}
