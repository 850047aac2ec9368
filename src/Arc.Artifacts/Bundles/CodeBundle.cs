namespace Arc.Artifacts;

/// <summary>A file of a package that a bundle needs but does not carry, with its size to check on load.</summary>
/// <param name="OutputPath">Where it goes in the materialized bundle ('/'-separated).</param>
/// <param name="PackagePath">Where it is inside the package's folder.</param>
/// <param name="Size">Its size in bytes when the bundle was made.</param>
public sealed record RequiredFile(string OutputPath, string PackagePath, long Size);

/// <summary>
/// A NuGet package a code bundle needs but does not carry (the large native runtimes, e.g. <c>libtorch-*</c>):
/// resolved on load from the local NuGet package folder.
/// </summary>
/// <param name="Id">The package id.</param>
/// <param name="Version">The package version.</param>
/// <param name="Folder">Its folder under the NuGet package root, as the app's deps.json names it (<c>id/version</c>, lower case).</param>
/// <param name="Files">The files the bundle needs from it.</param>
public sealed record PackageRequirement(string Id, string Version, string Folder, IReadOnlyList<RequiredFile> Files);

/// <summary>
/// The files that load a model assembly in a worker, chosen from its build output by the app's <c>.deps.json</c>:
/// the app's own files (its projects' assemblies, symbols, deps and runtimeconfig files), the files of ordinary NuGet
/// packages, and the large packages recorded as <see cref="Requirements"/> instead of copied.
/// </summary>
internal sealed class CodeBundle
{
    /// <summary>Packages whose files in the output total at least this much are requirements, not copied (16 MiB).</summary>
    public const long ExternalPackageMinBytes = 16L << 20;

    private CodeBundle(string directory, string entryAssembly, SortedDictionary<string, string> appFiles,
        SortedDictionary<string, string> packageFiles, IReadOnlyList<PackageRequirement> requirements)
    {
        Directory = directory;
        EntryAssembly = entryAssembly;
        AppFiles = appFiles;
        PackageFiles = packageFiles;
        Requirements = requirements;
    }

    /// <summary>The build output directory.</summary>
    public string Directory { get; }

    /// <summary>The model assembly's path inside the bundle.</summary>
    public string EntryAssembly { get; }

    /// <summary>Bundle path → file, for the app's own files (sorted ordinally).</summary>
    public IReadOnlyDictionary<string, string> AppFiles { get; }

    /// <summary>Bundle path → file, for files of packages that are carried.</summary>
    public IReadOnlyDictionary<string, string> PackageFiles { get; }

    /// <summary>Packages the bundle needs from the local NuGet folder on load.</summary>
    public IReadOnlyList<PackageRequirement> Requirements { get; }

    /// <summary>Whether a package is left out of the bundle and required instead.</summary>
    public static bool IsExternal(string packageId, long totalBytes)
        => packageId.StartsWith("libtorch-", StringComparison.OrdinalIgnoreCase) || totalBytes >= ExternalPackageMinBytes;

    /// <summary>The bundle of the app whose build output holds <paramref name="assemblyPath"/>.</summary>
    /// <exception cref="InvalidOperationException">The assembly has no <c>.deps.json</c> beside it.</exception>
    public static CodeBundle FromAssembly(string assemblyPath)
    {
        assemblyPath = Path.GetFullPath(assemblyPath);
        string directory = Path.GetDirectoryName(assemblyPath)!;
        string name = Path.GetFileNameWithoutExtension(assemblyPath);
        string deps = Path.Combine(directory, name + ".deps.json");
        if (!File.Exists(deps))
            throw new InvalidOperationException(
                $"the model assembly {assemblyPath} has no {name}.deps.json beside it, so its dependencies are unknown: save models " +
                "from a built app (an exe or test project's output folder, which has one)");

        var app = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var packages = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var requirements = new List<PackageRequirement>();
        var libraries = DepsManifest.Read(deps);

        AddIfExists(app, directory, Path.GetFileName(assemblyPath));
        foreach (var library in libraries.Where(l => !l.IsPackage))
        {
            foreach (var asset in library.Assets)
            {
                AddIfExists(app, directory, asset.OutputPath);
                if (asset.OutputPath.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
                    AddIfExists(app, directory, Path.ChangeExtension(asset.OutputPath, ".pdb"));
            }
            // An exe project (the app itself, Arc.Worker) needs its own deps and runtimeconfig files to run.
            AddIfExists(app, directory, library.Id + ".deps.json");
            AddIfExists(app, directory, library.Id + ".runtimeconfig.json");
        }
        AddIfExists(app, directory, name + ".deps.json");
        AddIfExists(app, directory, name + ".runtimeconfig.json");

        foreach (var library in libraries.Where(l => l.IsPackage))
        {
            var present = library.Assets
                .Where(a => !app.ContainsKey(a.OutputPath) && File.Exists(Path.Combine(directory, a.OutputPath)))
                .DistinctBy(a => a.OutputPath)
                .Select(a => (Asset: a, Size: new FileInfo(Path.Combine(directory, a.OutputPath)).Length))
                .ToList();
            if (present.Count == 0) continue;
            if (IsExternal(library.Id, present.Sum(p => p.Size)))
                requirements.Add(new PackageRequirement(library.Id, library.Version, library.PackageFolder!,
                    present.OrderBy(p => p.Asset.OutputPath, StringComparer.Ordinal)
                        .Select(p => new RequiredFile(p.Asset.OutputPath, p.Asset.PackagePath, p.Size)).ToList()));
            else
                foreach (var (asset, _) in present)
                    packages.TryAdd(asset.OutputPath, Path.Combine(directory, asset.OutputPath));
        }
        requirements.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return new CodeBundle(directory, Path.GetFileName(assemblyPath), app, packages, requirements);
    }

    private static void AddIfExists(SortedDictionary<string, string> files, string directory, string relativePath)
    {
        string full = Path.Combine(directory, relativePath);
        if (File.Exists(full)) files.TryAdd(relativePath.Replace('\\', '/'), full);
    }
}
