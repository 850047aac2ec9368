using System.Runtime.InteropServices;

namespace Arc.Artifacts;

/// <summary>
/// The build output folder of the model's assembly, as it goes into the image: every file below it, except the
/// RID-specific files (<c>runtimes/&lt;rid&gt;/</c>) of other platforms than Linux on this processor, and — when
/// native libraries are left out — the Linux native ones too. Files under <c>runtimes/</c> form their own layer
/// (NuGet native and RID-specific assets change rarely and can be large, e.g. libtorch), the rest the app layer.
/// </summary>
internal sealed class AppBundle
{
    /// <summary>The worker program, which must sit in the app folder (reference the Arc.Worker project).</summary>
    public const string WorkerFileName = "Arc.Worker.dll";

    AppBundle(string directory, IReadOnlyList<string> runtimeFiles, IReadOnlyList<string> appFiles)
    {
        Directory = directory;
        RuntimeSpecificFiles = runtimeFiles;
        AppFiles = appFiles;
    }

    /// <summary>The app folder on this machine.</summary>
    public string Directory { get; }

    /// <summary>Files below <c>runtimes/</c> kept for this platform (full paths, sorted).</summary>
    public IReadOnlyList<string> RuntimeSpecificFiles { get; }

    /// <summary>Every other file (full paths, sorted).</summary>
    public IReadOnlyList<string> AppFiles { get; }

    /// <summary>The path of <paramref name="file"/> relative to the app folder, '/'-separated.</summary>
    public string Relative(string file) => Path.GetRelativePath(Directory, file).Replace('\\', '/');

    /// <summary>The Linux runtime identifiers whose assets apply on this processor, most specific first.</summary>
    public static IReadOnlyList<string> LinuxRuntimeIds() => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => ["linux-x64", "linux", "unix"],
        Architecture.Arm64 => ["linux-arm64", "linux", "unix"],
        var other => throw new PlatformNotSupportedException($"worker images are built for linux-x64 and linux-arm64, not {other}"),
    };

    /// <summary>Collects the files of <paramref name="directory"/>; it must hold the Arc worker program.</summary>
    public static AppBundle Collect(string directory, bool includeNativeLibraries)
    {
        directory = Path.GetFullPath(directory);
        foreach (var required in new[] { WorkerFileName, "Arc.Worker.runtimeconfig.json", "Arc.Worker.deps.json" })
            if (!File.Exists(Path.Combine(directory, required)))
                throw new FileNotFoundException(
                    $"{directory} has no {required}: the model's program must reference the Arc.Worker project so the worker is built next to it",
                    Path.Combine(directory, required));
        var runtimeIds = LinuxRuntimeIds();
        var runtimeFiles = new List<string>();
        var appFiles = new List<string>();
        foreach (var file in System.IO.Directory.EnumerateFiles(directory, "*", new EnumerationOptions
                 {
                     RecurseSubdirectories = true,
                     AttributesToSkip = FileAttributes.Device,
                     IgnoreInaccessible = false,
                 }).Order(StringComparer.Ordinal))
        {
            string[] segments = Path.GetRelativePath(directory, file).Replace('\\', '/').Split('/');
            if (segments.Length >= 3 && segments[0] == "runtimes")
            {
                if (!runtimeIds.Contains(segments[1])) continue;
                if (!includeNativeLibraries && segments[2] == "native") continue;
                runtimeFiles.Add(file);
            }
            else appFiles.Add(file);
        }
        return new AppBundle(directory, runtimeFiles, appFiles);
    }

    /// <summary>The native shared libraries of the bundle (for their ELF dependencies).</summary>
    public IEnumerable<string> NativeLibraries()
        => RuntimeSpecificFiles.Concat(AppFiles).Where(file => file.EndsWith(".so", StringComparison.Ordinal) || file.Contains(".so.", StringComparison.Ordinal));
}
