using System.Reflection;

namespace Arc.Architecture.Tests;

/// <summary>
/// The assemblies under <c>src/</c> and the Arc assemblies each may reference directly: the graph that
/// docs/architecture.md draws. A reference outside it fails <see cref="LayeringTests"/>; change both together.
/// </summary>
internal static class AssemblyGraph
{
    public static readonly IReadOnlyDictionary<string, string[]> Allowed = new Dictionary<string, string[]>
    {
        ["Arc.Types"] = [],
        ["Arc.Torch"] = ["Arc.Types"],
        ["Arc.Remote"] = ["Arc.Types"],
        ["Arc.Hosting"] = ["Arc.Remote", "Arc.Types"],
        ["Arc.Artifacts"] = ["Arc.Types"],
        ["Arc.Kubernetes"] = ["Arc.Remote", "Arc.Types"],
        ["Arc.Sdk"] = ["Arc.Types", "Arc.Torch", "Arc.Remote", "Arc.Hosting", "Arc.Artifacts", "Arc.Kubernetes"],
        ["Arc.Worker"] = ["Arc.Sdk", "Arc.Types", "Arc.Torch", "Arc.Remote", "Arc.Hosting", "Arc.Artifacts"],
        ["Arc.Datasets"] = ["Arc.Sdk", "Arc.Types", "Arc.Artifacts"],
        // Model versions tie a model to its dataset version and register it in tracking; the Finder reads both.
        ["Arc.Models"] = ["Arc.Sdk", "Arc.Types", "Arc.Artifacts", "Arc.Datasets", "Arc.Tracking", "Arc.Tracking.Server"],
        ["Arc.Generators"] = [],
        ["Arc.Tracking"] = [],
        ["Arc.Tracking.Server"] = ["Arc.Tracking"],
        // The tracking implementation of Arc.Sdk's recording seam; Arc.Sdk loads it by name, never references it.
        ["Arc.Tracking.Recording"] = ["Arc.Sdk", "Arc.Tracking", "Arc.Tracking.Server", "Arc.Types", "Arc.Artifacts"],
        // The web UI of the tracking server: pages over the same stores, in its own assembly with its picture library.
        ["Arc.Tracking.Web"] = ["Arc.Tracking", "Arc.Tracking.Server"],
        ["Arc.Cli"] = ["Arc.Tracking", "Arc.Tracking.Server", "Arc.Tracking.Web", "Arc.Artifacts", "Arc.Sdk", "Arc.CommandLine", "Arc.Types", "Arc.Serving", "Arc.Remote"],
        // HTTP model serving (docs/serving.md): above Arc.Sdk, whose inference modules it serves.
        ["Arc.Serving"] = ["Arc.Sdk", "Arc.Types", "Arc.Hosting", "Arc.Remote", "Arc.Datasets", "Arc.Artifacts"],
        ["Arc.CommandLine"] = ["Arc.Sdk", "Arc.Torch", "Arc.Remote", "Arc.Kubernetes", "Arc.Types"],
        // The notebook extension: compiles cells with the generator (loaded from its file at run time, not referenced) into
        // an owned temporary folder (Arc.Artifacts' ArcTempPaths, swept when a killed kernel left it).
        ["Arc.Interactive"] = ["Arc.Sdk", "Arc.Types", "Arc.Artifacts"],
    };

    /// <summary>Loads an assembly of the product by name (all are next to the tests).</summary>
    public static Assembly Load(string name) => Assembly.Load(new AssemblyName(name));

    /// <summary>The folders under src/, each one assembly.</summary>
    public static IEnumerable<string> SourceFolders()
    {
        string src = Path.Combine(RepositoryRoot(), "src");
        return Directory.GetDirectories(src).Select(Path.GetFileName).Where(n => n is not null).Select(n => n!);
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Arc.Sdk.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Arc.Sdk.sln above {AppContext.BaseDirectory}");
    }
}
