using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Arc.Sdk;

namespace Arc.Generators.Tests.Infrastructure;

/// <summary>
/// A compiled test input loaded into a collectible load context. Only the input itself is loaded there: Arc.Sdk
/// and the rest resolve from the default context, so the generated registrations land in the same
/// <see cref="ArcRegistry"/> the test reads. Disposing removes them and unloads the context.
/// </summary>
internal sealed class InMemoryAssembly : IDisposable
{
    private readonly AssemblyLoadContext _context;

    private InMemoryAssembly(AssemblyLoadContext context, Assembly assembly)
    {
        _context = context;
        Assembly = assembly;
    }

    public Assembly Assembly { get; }

    /// <summary>Emits <paramref name="compilation"/> (which must be free of warnings and errors), loads it and runs its module initializers.</summary>
    public static InMemoryAssembly Load(Compilation compilation)
    {
        using var image = new MemoryStream();
        var emit = compilation.Emit(image);
        Assert.True(emit.Success, string.Join(Environment.NewLine, emit.Diagnostics));
        Assert.Empty(emit.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()));
        image.Position = 0;

        var context = new AssemblyLoadContext("arc-test-" + compilation.AssemblyName, isCollectible: true);
        var assembly = context.LoadFromStream(image);
        RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
        return new InMemoryAssembly(context, assembly);
    }

    public void Dispose()
    {
        ArcRegistry.Unregister(Assembly);
        _context.Unload();
    }
}
