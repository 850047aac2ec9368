using System.Security.Cryptography;
using System.Text;

namespace Arc.Artifacts;

/// <summary>
/// Turns the code bundle of a pulled artifact into a directory a worker can load: both bundle layers extracted
/// (<see cref="BundleExtractor"/>, every blob verified by the store) and each required package file linked from the local
/// NuGet folder. Directories are content-addressed (<c>&lt;cache&gt;/bundles/&lt;hash of the layer digests, requirements
/// and NuGet folder&gt;</c>), built under a temporary name and renamed when complete, so a second connect to any
/// artifact with the same bundle reuses it and a crash never leaves a half bundle in use. The rename is durable
/// (<see cref="DurableFile.PublishDirectory"/>: files and folders flushed first, the cache folder after), and the
/// temporary folders (<c>.tmp-&lt;pid&gt;-&lt;start&gt;-&lt;random&gt;</c>) of killed connects are removed by the next one.
/// </summary>
internal static class BundleMaterializer
{
    private const string CompleteMarker = ".arc-complete";
    private const string TemporaryPrefix = ".tmp-";

    public static async Task<string> MaterializeAsync(IArtifactStore store, PulledManifest pulled, SavedArtifactConfig config,
        string cacheDirectory, string nugetDirectory, CancellationToken cancellationToken)
    {
        var manifest = pulled.Manifest;
        var app = manifest.FindLayer(ArcArtifactTypes.Titles.AppBundle)
            ?? throw new ArtifactFormatException(pulled.Reference.ToString(), $"the artifact has no code bundle (layer '{ArcArtifactTypes.Titles.AppBundle}')");
        var packages = manifest.FindLayer(ArcArtifactTypes.Titles.PackagesBundle);
        string key = Key(app, packages, config, nugetDirectory);
        string bundles = Path.Combine(cacheDirectory, "bundles");
        string final = Path.Combine(bundles, key);
        if (File.Exists(Path.Combine(final, CompleteMarker))) return final;

        DurableFile.CreateDirectory(bundles);
        // Killed connects' folders; a minute's grace for a connect in another pid namespace sharing the cache.
        OwnedNames.SweepDead(bundles, TemporaryPrefix, OciLayoutStore.DeadWriterIdle, OciLayoutStore.UnownedTempIdle);
        string building = Path.Combine(bundles, OwnedNames.New(TemporaryPrefix));
        try
        {
            foreach (var layer in packages is null ? [app] : new[] { app, packages })
            {
                var tar = await store.OpenBlobAsync(layer, cancellationToken).ConfigureAwait(false);
                await using var tarDisposal = tar.ConfigureAwait(false);
                await BundleExtractor.ExtractAsync(tar, building, $"{pulled.Reference} layer '{layer.Title}'", cancellationToken).ConfigureAwait(false);
            }
            foreach (var package in config.Requirements)
                LinkPackage(package, building, nugetDirectory, pulled.Reference.ToString());
            if (!File.Exists(Path.Combine(building, config.Assembly)))
                throw new ArtifactFormatException(pulled.Reference.ToString(), $"the code bundle has no '{config.Assembly}', the assembly its config names");
            await DurableFile.WriteNewAsync(Path.Combine(building, CompleteMarker), Encoding.UTF8.GetBytes(pulled.Reference.ToString()), cancellationToken).ConfigureAwait(false);
            // The marker is written before the rename, so a bundle directory under its final name is always complete.
            try
            {
                DurableFile.PublishDirectory(building, final);
            }
            catch (IOException) when (File.Exists(Path.Combine(final, CompleteMarker)))
            {
                // Another connect (this process or another) completed the same bundle first; theirs is identical.
            }
            return final;
        }
        finally
        {
            if (Directory.Exists(building)) Directory.Delete(building, recursive: true);
        }
    }

    /// <summary>Links each file of <paramref name="package"/> into the bundle, after checking it exists with the recorded size.</summary>
    internal static void LinkPackage(PackageRequirement package, string bundle, string nugetDirectory, string reference)
    {
        string folder = Path.Combine(nugetDirectory, package.Folder);
        string install = $"restore a project that references it (e.g. dotnet add package {package.Id} --version {package.Version}), or set NUGET_PACKAGES to a folder that has it";
        if (!Directory.Exists(folder))
            throw new MissingPackageException(package.Id, package.Version,
                $"{reference} needs NuGet package {package.Id} {package.Version}, which is not in the NuGet package folder {nugetDirectory}: {install}");
        foreach (var file in package.Files)
        {
            string source = Path.Combine(folder, file.PackagePath);
            var info = new FileInfo(source);
            if (!info.Exists || info.Length != file.Size)
                throw new MissingPackageException(package.Id, package.Version,
                    $"{reference} needs {file.PackagePath} of NuGet package {package.Id} {package.Version} ({file.Size} bytes), but {source} " +
                    (info.Exists ? $"has {info.Length} bytes" : "does not exist") + $": {install}");
            string target = BundleExtractor.TargetPath(Path.GetFullPath(bundle), file.OutputPath, reference);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (File.Exists(target))
                throw new ArtifactFormatException(reference, $"required file '{file.OutputPath}' is also in the bundle's layers");
            File.CreateSymbolicLink(target, source);
        }
    }

    private static string Key(OciDescriptor app, OciDescriptor? packages, SavedArtifactConfig config, string nugetDirectory)
    {
        var text = new StringBuilder().Append(app.Digest).Append('\n').Append(packages?.Digest.ToString() ?? "-").Append('\n').Append(nugetDirectory).Append('\n');
        foreach (var package in config.Requirements)
            foreach (var file in package.Files)
                text.Append(package.Folder).Append('|').Append(file.PackagePath).Append('|').Append(file.OutputPath).Append('|').Append(file.Size).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
