using System.Reflection;
using System.Runtime.InteropServices;
using TorchSharp;

namespace Arc.Torch;

/// <summary>
/// Loads TorchSharp's native library before Arc's first torch call and, when it does not load, says why. TorchSharp
/// reports every load failure the same way — its message blames a missing <c>libtorch-cpu-linux-x64</c> reference — even
/// when the package is there and the cause is the system's libstdc++: TorchSharp 0.107's <c>libLibTorchSharp.so</c>
/// asks for <c>GLIBCXX_3.4.32</c> (GCC 13), which Debian 12 and other systems with an older libstdc++ lack. In that case
/// the error names the cause and the fix (Arc's build targets, which mark that requirement weak in the copied library).
/// </summary>
internal static class TorchNativeLibrary
{
    /// <summary>The native library of TorchSharp that links against libstdc++.</summary>
    private const string LibraryName = "libLibTorchSharp.so";

    private static readonly Lazy<Exception?> LoadError = new(TryLoad);

    /// <summary>Throws the (diagnosed) load failure, every time, if TorchSharp's native library does not load.</summary>
    public static void EnsureLoaded()
    {
        if (LoadError.Value is { } error) throw error;
    }

    private static Exception? TryLoad()
    {
        OneDnnCpuIsa.Apply(); // before torch runs its first convolution
        NativeHeapTuning.Apply(); // before torch allocates its first tensor
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            return null;
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or NotSupportedException or InvalidOperationException)
        {
            return Diagnose(e) ?? e;
        }
    }

    /// <summary>
    /// A <see cref="DllNotFoundException"/> naming the missing GLIBCXX version and the fix, with <paramref name="error"/>
    /// inside, when that is why TorchSharp's native library does not load; null when the cause is something else.
    /// </summary>
    public static DllNotFoundException? Diagnose(Exception error)
    {
        foreach (string path in Candidates())
        {
            string loader;
            try
            {
                NativeLibrary.Free(NativeLibrary.Load(path));
                continue; // it loads: its libstdc++ is not the problem
            }
            catch (DllNotFoundException e)
            {
                loader = e.Message;
            }
            catch (BadImageFormatException e)
            {
                loader = e.Message;
            }
            // The loader's line naming the missing version, e.g. "/lib/x86_64-linux-gnu/libstdc++.so.6: version
            // `GLIBCXX_3.4.32' not found (required by …/libLibTorchSharp.so)".
            string? cause = loader.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Contains("GLIBCXX_", StringComparison.Ordinal));
            if (cause is null) continue;
            int at = cause.IndexOf("GLIBCXX_", StringComparison.Ordinal), end = at;
            while (end < cause.Length && (cause[end] is '_' or '.' || char.IsAsciiLetterOrDigit(cause[end]))) end++;
            string version = cause[at..end].TrimEnd('.');
            string torchSharps = FirstLine(Innermost(error).Message);
            return new DllNotFoundException(
                $"TorchSharp's native library does not load because this system's libstdc++ has no {version}: {cause}. " +
                $"TorchSharp {TorchSharpVersion()} was built with a newer GCC than this system's (Debian 12 ships GCC 12's libstdc++, up to " +
                "GLIBCXX_3.4.30). Fix: add <Import Project=\"$(ArcRoot)/src/Arc.Sdk/build/Arc.Sdk.targets\" /> to your project and rebuild " +
                "(README, \"Using Arc from your own project\"; the Arc.Sdk package does this by itself): it marks that version requirement " +
                "weak in the copy in your output folder, which is safe (the only symbol under it is never called). Or install a libstdc++ " +
                $"from GCC 13 or later. (TorchSharp's own message, \"{torchSharps}\", blames a missing package, but {path} is there.)",
                error);
        }
        return null;
    }

    // Where the runtime looks for it: the app's runtimes folder for this platform, then the app folder itself.
    private static IEnumerable<string> Candidates()
    {
        string rid = RuntimeInformation.RuntimeIdentifier.StartsWith("linux-", StringComparison.Ordinal)
            ? RuntimeInformation.RuntimeIdentifier : "linux-x64";
        string[] folders = [AppContext.BaseDirectory, Path.GetDirectoryName(typeof(torch).Assembly.Location) ?? AppContext.BaseDirectory];
        var paths = folders.SelectMany(folder => new[]
        {
            Path.Combine(folder, "runtimes", rid, "native", LibraryName),
            Path.Combine(folder, "runtimes", "linux-x64", "native", LibraryName),
            Path.Combine(folder, LibraryName),
        });
        return paths.Select(Path.GetFullPath).Distinct().Where(File.Exists);
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    private static Exception Innermost(Exception error)
    {
        while (error.InnerException is { } inner) error = inner;
        return error;
    }

    private static string TorchSharpVersion()
        => typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "?";
}
