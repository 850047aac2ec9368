using System.Reflection;
using Arc.Artifacts;

namespace Arc.Sdk;

/// <summary>
/// A model module opened for training or serving (seed 004, docs/model-archive.md): a model archive (<c>.tar.gz</c>,
/// extracted safely into the cache once and reused) or a module dir (a build output folder, with or without a
/// <c>manifest.json</c>). Its entry assemblies load the way a worker loads a user's assembly
/// (<see cref="UserAssemblies"/>), and its entries become protocol modules (<see cref="ProtocolModules"/>).
/// </summary>
public sealed class ModelModule
{
    private ModelModule(string source, bool isArchive, string root, string moduleDirectory, ModelArchiveManifest manifest)
    {
        Source = source;
        IsArchive = isArchive;
        Root = root;
        ModuleDirectory = moduleDirectory;
        Manifest = manifest;
    }

    /// <summary>What was opened: the archive file or the folder, full path.</summary>
    public string Source { get; }

    /// <summary>Whether <see cref="Source"/> is an archive (else a module dir).</summary>
    public bool IsArchive { get; }

    /// <summary>The package root: the extracted archive, or the folder opened.</summary>
    public string Root { get; }

    /// <summary>The module dir: where the entry assemblies are.</summary>
    public string ModuleDirectory { get; }

    /// <summary>The manifest: the archive's or the folder's <c>manifest.json</c>, else the seed's defaults with the folder's one app as both entries.</summary>
    public ModelArchiveManifest Manifest { get; }

    /// <summary>
    /// Opens <paramref name="path"/>: a model archive (a gzip file) or a module dir. An archive is extracted into
    /// <c>&lt;cache&gt;/modules/&lt;SHA-256&gt;</c> (<see cref="ModelArchive.ExtractAsync"/>: nothing outside it is written,
    /// links and <c>..</c> are refused) with its external NuGet files linked from the NuGet folder.
    /// </summary>
    /// <param name="path">The archive or folder.</param>
    /// <param name="cacheDirectory">The cache root; null for <see cref="ArtifactLocations.CacheDirectory"/>.</param>
    /// <param name="nugetDirectory">The NuGet package folder; null for <see cref="ArtifactLocations.NuGetPackagesDirectory"/>.</param>
    /// <param name="cancellationToken">Stops the extraction.</param>
    /// <exception cref="FileNotFoundException">Nothing is at <paramref name="path"/>.</exception>
    /// <exception cref="ArtifactFormatException">The archive or manifest is not valid.</exception>
    /// <exception cref="ArgumentException">A folder without a manifest has no single app to use.</exception>
    public static async Task<ModelModule> OpenAsync(string path, string? cacheDirectory = null, string? nugetDirectory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            string manifestFile = Path.Combine(full, ModelArchiveManifest.FileName);
            if (File.Exists(manifestFile))
            {
                var manifest = ModelArchiveManifest.Parse(File.ReadAllBytes(manifestFile), manifestFile);
                string module = manifest.Module.Trim('/') is { Length: > 0 } m ? Path.Combine(full, m) : full;
                if (!Directory.Exists(module)) throw new ArtifactFormatException(manifestFile, $"the module dir '{manifest.Module}' does not exist");
                return new ModelModule(full, false, full, module, manifest);
            }
            string entry = ModelArchive.DefaultEntry(full).ToString();
            return new ModelModule(full, false, full, full, new ModelArchiveManifest { TrainingScript = entry, ServingScript = entry });
        }
        if (!File.Exists(full)) throw new FileNotFoundException($"{full} is neither a model archive nor a module dir: nothing is there", full);
        if (!ModelArchive.IsArchive(full))
            throw new ArtifactFormatException(full, "it is not a model archive (a .tar.gz file) nor a folder");
        var extracted = await ModelArchive.ExtractAsync(full, cacheDirectory ?? ArtifactLocations.CacheDirectory,
            nugetDirectory ?? ArtifactLocations.NuGetPackagesDirectory, cancellationToken).ConfigureAwait(false);
        return new ModelModule(full, true, extracted.Root, extracted.ModuleDirectory, extracted.Manifest);
    }

    /// <summary>Loads <paramref name="entry"/>'s assembly from the module dir (<see cref="UserAssemblies.Load"/>).</summary>
    public Assembly LoadAssembly(ModuleEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        string path = Path.Combine(ModuleDirectory, entry.AssemblyPath);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{Source}: the module dir has no {entry.AssemblyPath} (entry '{entry}')", path);
        return UserAssemblies.Load(path);
    }

    /// <summary>Loads <paramref name="entry"/>'s assembly and creates the <typeparamref name="TModule"/> it names (<see cref="ProtocolModules.Create"/>).</summary>
    public TModule CreateModule<TModule>(ModuleEntry entry) where TModule : class
        => ProtocolModules.Create<TModule>(LoadAssembly(entry), entry.TypeName);

    /// <summary>The training entry's <see cref="ITrainingModule"/>.</summary>
    /// <exception cref="InvalidOperationException">The manifest has no training entry, or it names no training module.</exception>
    public ITrainingModule CreateTrainingModule()
        => CreateModule<ITrainingModule>(Manifest.TrainingEntry
            ?? throw new InvalidOperationException($"{Source}: the manifest has no trainingScript, so it does not train"));

    /// <summary>Resolves a manifest path (<c>logDirectory</c>, <c>tensorboardDirectory</c>) against <paramref name="workingDirectory"/> unless it is absolute.</summary>
    public static string Resolve(string path, string workingDirectory) => Path.GetFullPath(Path.Combine(workingDirectory, path));
}
