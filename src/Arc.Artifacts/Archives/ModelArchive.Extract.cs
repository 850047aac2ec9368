using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace Arc.Artifacts;

/// <summary>An extracted model archive: its root (where <c>manifest.json</c> is), the manifest, and the module dir.</summary>
/// <param name="Root">The folder the archive was extracted into.</param>
/// <param name="Manifest">Its manifest.</param>
/// <param name="ModuleDirectory">The module dir inside <paramref name="Root"/>.</param>
/// <param name="Sha256">The archive file's SHA-256 (lower-case hex), which names the folder.</param>
public sealed record ExtractedModelArchive(string Root, ModelArchiveManifest Manifest, string ModuleDirectory, string Sha256);

public static partial class ModelArchive
{
    /// <summary>The folder under the cache that extracted archives live in.</summary>
    public const string CacheFolder = "modules";

    private const string CompleteMarker = ".arc-complete";
    private const string TemporaryPrefix = ".tmp-";

    /// <summary>Whether <paramref name="path"/> is a file that starts like a gzip stream (an archive rather than a module dir).</summary>
    public static bool IsArchive(string path)
    {
        if (!File.Exists(path)) return false;
        using var file = File.OpenRead(path);
        return file.ReadByte() == 0x1f && file.ReadByte() == 0x8b;
    }

    /// <summary>
    /// Extracts the archive at <paramref name="archivePath"/> into <c>&lt;cacheDirectory&gt;/modules/&lt;its SHA-256&gt;</c>
    /// (reused when it is there already) and links the NuGet files its <c>requirements.json</c> does not carry from
    /// <paramref name="nugetDirectory"/>. Nothing is written outside that folder: absolute paths, <c>..</c>, symbolic and
    /// hard links, devices and duplicate paths are refused, and a refused or broken archive leaves nothing behind (it is
    /// extracted under a temporary name and renamed only when complete).
    /// </summary>
    /// <exception cref="ArtifactFormatException">The archive is not a valid model archive, or has an entry it refuses.</exception>
    /// <exception cref="MissingPackageException">A package it requires is not in the NuGet folder.</exception>
    public static async Task<ExtractedModelArchive> ExtractAsync(string archivePath, string cacheDirectory, string nugetDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(archivePath);
        archivePath = Path.GetFullPath(archivePath);
        if (!File.Exists(archivePath)) throw new FileNotFoundException($"model archive {archivePath} does not exist", archivePath);
        string sha256;
        var hashed = File.OpenRead(archivePath);
        await using (hashed.ConfigureAwait(false))
            sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(hashed, cancellationToken).ConfigureAwait(false));

        string modules = Path.Combine(Path.GetFullPath(cacheDirectory), CacheFolder);
        string final = Path.Combine(modules, sha256);
        if (File.Exists(Path.Combine(final, CompleteMarker))) return Open(final, archivePath, sha256);

        DurableFile.CreateDirectory(modules);
        OwnedNames.SweepDead(modules, TemporaryPrefix, OciLayoutStore.DeadWriterIdle, OciLayoutStore.UnownedTempIdle);
        string building = Path.Combine(modules, OwnedNames.New(TemporaryPrefix));
        try
        {
            var file = File.OpenRead(archivePath);
            await using (file.ConfigureAwait(false))
            {
                var gzip = new GZipStream(file, CompressionMode.Decompress);
                await using var gzipDisposal = gzip.ConfigureAwait(false);
                try
                {
                    await BundleExtractor.ExtractAsync(gzip, building, archivePath, allowLinks: false, "model archive", cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
                {
                    throw new ArtifactFormatException(archivePath, $"it is not a gzip-compressed tar archive ({e.Message})", e);
                }
            }
            var extracted = Open(building, archivePath, sha256);
            string requirementsFile = Path.Combine(extracted.ModuleDirectory, ModuleRequirements.FileName);
            if (File.Exists(requirementsFile))
            {
                var requirements = ModuleRequirements.Parse(File.ReadAllBytes(requirementsFile), archivePath);
                foreach (var package in requirements.External)
                    BundleMaterializer.LinkPackage(package, extracted.ModuleDirectory, nugetDirectory, archivePath);
            }
            await DurableFile.WriteNewAsync(Path.Combine(building, CompleteMarker), Encoding.UTF8.GetBytes(archivePath), cancellationToken).ConfigureAwait(false);
            try
            {
                DurableFile.PublishDirectory(building, final);
            }
            catch (IOException) when (File.Exists(Path.Combine(final, CompleteMarker)))
            {
                // Another run extracted the same archive first; its folder is identical.
            }
            return Open(final, archivePath, sha256);
        }
        finally
        {
            if (Directory.Exists(building)) Directory.Delete(building, recursive: true);
        }
    }

    /// <summary>Reads the manifest of an extracted archive at <paramref name="root"/> and checks its module dir is there.</summary>
    private static ExtractedModelArchive Open(string root, string source, string sha256)
    {
        string manifestPath = Path.Combine(root, ModelArchiveManifest.FileName);
        if (!File.Exists(manifestPath))
            throw new ArtifactFormatException(source, $"the archive has no {ModelArchiveManifest.FileName} at its root");
        var manifest = ModelArchiveManifest.Parse(File.ReadAllBytes(manifestPath), source);
        string module = manifest.Module.Trim('/') is { Length: > 0 } m ? Path.Combine(root, m) : root;
        if (!Directory.Exists(module))
            throw new ArtifactFormatException(source, $"the manifest's module dir '{manifest.Module}' is not in the archive");
        return new ExtractedModelArchive(root, manifest, module, sha256);
    }
}
