using System.Text.Json;

namespace Arc.Artifacts;

/// <summary>One file a library puts in the build output: where it lands, and where it is inside its NuGet package.</summary>
/// <param name="OutputPath">Relative to the output directory, '/'-separated (e.g. <c>runtimes/linux-x64/native/libtorch.so</c>).</param>
/// <param name="PackagePath">Relative to the package's folder (e.g. <c>lib/net8.0/TorchSharp.dll</c>); for projects the same as the output path.</param>
internal sealed record DepsAsset(string OutputPath, string PackagePath);

/// <summary>A library of an app's <c>.deps.json</c>: a NuGet package or a project, and the files it contributes.</summary>
/// <param name="Id">The package or project name.</param>
/// <param name="Version">Its version.</param>
/// <param name="IsPackage">Whether it is a NuGet package ("type": "package").</param>
/// <param name="PackageFolder">The package's folder under the NuGet package root (<c>id/version</c>, lower case), for packages.</param>
/// <param name="Assets">Its files in the output.</param>
internal sealed record DepsLibrary(string Id, string Version, bool IsPackage, string? PackageFolder, IReadOnlyList<DepsAsset> Assets);

/// <summary>
/// Reads the libraries of an app's <c>&lt;app&gt;.deps.json</c> (written by the .NET SDK next to its build output) and
/// where each asset lands in a build output: <c>runtime</c> and <c>native</c> assets by file name, <c>resources</c>
/// under their locale, <c>runtimeTargets</c> at their own relative path. This is how the SDK copies them.
/// </summary>
internal static class DepsManifest
{
    public static IReadOnlyList<DepsLibrary> Read(string depsJsonPath)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(depsJsonPath));
        var root = document.RootElement;
        string targetName = root.GetProperty("runtimeTarget").GetProperty("name").GetString()
            ?? throw new InvalidDataException($"{depsJsonPath} has no runtimeTarget name");
        var target = root.GetProperty("targets").GetProperty(targetName);
        var libraries = root.GetProperty("libraries");
        var result = new List<DepsLibrary>();
        foreach (var library in target.EnumerateObject())
        {
            int slash = library.Name.IndexOf('/');
            if (slash <= 0) throw new InvalidDataException($"{depsJsonPath}: library '{library.Name}' is not 'name/version'");
            string id = library.Name[..slash], version = library.Name[(slash + 1)..];
            bool isPackage = false;
            string? folder = null;
            if (libraries.TryGetProperty(library.Name, out var info))
            {
                isPackage = info.TryGetProperty("type", out var type) && type.GetString() == "package";
                folder = info.TryGetProperty("path", out var path) ? path.GetString() : null;
            }
            var assets = new List<DepsAsset>();
            AddAssets(library.Value, "runtime", assets, (key, _) => FileName(key));
            AddAssets(library.Value, "native", assets, (key, _) => FileName(key));
            AddAssets(library.Value, "resources", assets, (key, value) =>
                value.TryGetProperty("locale", out var locale) ? $"{locale.GetString()}/{FileName(key)}" : FileName(key));
            AddAssets(library.Value, "runtimeTargets", assets, (key, _) => key);
            result.Add(new DepsLibrary(id, version, isPackage, isPackage ? folder ?? $"{id.ToLowerInvariant()}/{version.ToLowerInvariant()}" : null,
                isPackage ? assets : assets.Select(a => a with { PackagePath = a.OutputPath }).ToList()));
        }
        return result;
    }

    private static void AddAssets(JsonElement library, string group, List<DepsAsset> assets, Func<string, JsonElement, string> outputPath)
    {
        if (!library.TryGetProperty(group, out var entries) || entries.ValueKind != JsonValueKind.Object) return;
        foreach (var entry in entries.EnumerateObject())
            assets.Add(new DepsAsset(outputPath(entry.Name, entry.Value), entry.Name));
    }

    private static string FileName(string path) => path[(path.LastIndexOf('/') + 1)..];
}
