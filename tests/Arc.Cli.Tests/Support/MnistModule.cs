using System.Reflection;
using Arc.Artifacts;

namespace Arc.Cli.Tests.Support;

/// <summary>The MNIST sample's build output: a real module dir (samples/Mnist, built before these tests).</summary>
internal static class MnistModule
{
    public static string Directory => typeof(MnistModule).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "MnistOutput").Value!;

    public static string Assembly => Path.Combine(Directory, "Mnist.dll");

    /// <summary>
    /// The environment <c>arc</c> needs to open an archive made from it: the real NuGet folder (HOME points into the
    /// scratch folder, and libtorch is linked from there rather than carried).
    /// </summary>
    public static IReadOnlyDictionary<string, string> Environment(Scratch scratch) => new Dictionary<string, string>
    {
        ["NUGET_PACKAGES"] = ArtifactLocations.NuGetPackagesDirectory,
        ["ARC_CACHE"] = scratch["cache"],
    };

    /// <summary>Small and quick: 20 digits of each class, a 4-channel network, one epoch.</summary>
    public static readonly string[] QuickTraining = ["--max-per-digit", "20", "--channels", "4", "--epochs", "1"];
}
