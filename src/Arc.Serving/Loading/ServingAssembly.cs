using Arc.Sdk;

namespace Arc.Serving;

/// <summary>
/// Finds the inference module to serve: from a model archive (<c>.tar.gz</c>) or a module dir, through
/// <see cref="ModelModule"/> (its manifest's <c>servingScript</c>, else the folder's one program), or from a
/// <c>.dll</c> named directly. The assembly loads the way a worker loads user code (<see cref="UserAssemblies"/>), its
/// module initializer registers the generated modules (<see cref="ProtocolModules"/>), and the one served is the
/// entry's type, else the model the model directory's <c>model.json</c> names.
/// </summary>
public static class ServingAssembly
{
    /// <summary>Opens <paramref name="module"/> and creates the inference module for the model in <paramref name="modelDirectory"/>.</summary>
    /// <param name="module">A model archive, a module dir, or the model's <c>.dll</c>.</param>
    /// <param name="modelDirectory">The model directory training wrote (<see cref="ModelDirectory"/>).</param>
    /// <param name="cancellationToken">Stops extracting an archive.</param>
    /// <returns>The module and the assembly file it came from.</returns>
    /// <exception cref="FileNotFoundException">Nothing to load there.</exception>
    /// <exception cref="InvalidDataException">The model directory is not one.</exception>
    /// <exception cref="InvalidOperationException">The assembly has no inference module for that model; the message lists what it has.</exception>
    public static async Task<(IInferenceModule Module, string AssemblyPath)> OpenAsync(string module, string modelDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(module);
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        var info = ModelDirectory.ReadInfo(modelDirectory);
        string full = Path.GetFullPath(module);
        if (File.Exists(full) && full.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            return (ProtocolModules.Create<IInferenceModule>(UserAssemblies.Load(full), info.Type), full);

        var opened = await ModelModule.OpenAsync(full, cancellationToken: cancellationToken).ConfigureAwait(false);
        var entry = opened.Manifest.ServingEntry
            ?? throw new InvalidOperationException($"{opened.Source}: the manifest has no servingScript, so it does not serve");
        var assembly = opened.LoadAssembly(entry);
        // An entry without a type serves the model the directory holds (an assembly may define several).
        return (ProtocolModules.Create<IInferenceModule>(assembly, entry.TypeName ?? info.Type), Path.Combine(opened.ModuleDirectory, entry.AssemblyPath));
    }
}
