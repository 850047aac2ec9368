using System.Runtime.InteropServices;

namespace Arc.Sdk;

/// <summary>
/// Which <c>runtimes/&lt;rid&gt;/</c> folders of a build output can matter on this machine: a build carries native and
/// managed assets for every platform its packages support (SkiaSharp for Windows and macOS, say), and the .NET host
/// never loads those of another platform, so a develop worker on this machine does not need them.
/// </summary>
internal static class PlatformAssets
{
    /// <summary>Whether the build-folder path <paramref name="relativePath"/> ('/'-separated) is for another platform.</summary>
    public static bool IsForOtherPlatform(string relativePath)
    {
        var segments = relativePath.Split('/');
        if (segments.Length < 3 || !segments[0].Equals("runtimes", StringComparison.OrdinalIgnoreCase)) return false;
        return !Applies(segments[1]);
    }

    /// <summary>
    /// Whether a runtime identifier applies here: its OS is this OS's family (<c>linux</c>/<c>unix</c>,
    /// <c>osx</c>/<c>unix</c>, <c>win</c>) and its architecture, if it names one, is this process's.
    /// Distribution-specific and musl identifiers are left out on purpose: when unsure, the file travels.
    /// </summary>
    internal static bool Applies(string rid)
    {
        string arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        string[] family = OperatingSystem.IsWindows() ? ["win"] : OperatingSystem.IsMacOS() ? ["osx", "unix"] : OperatingSystem.IsLinux() ? ["linux", "unix"] : [];
        if (family.Length == 0) return true;
        int dash = rid.LastIndexOf('-');
        string os = dash < 0 ? rid : rid[..dash];
        string? ridArch = dash < 0 ? null : rid[(dash + 1)..];
        if (ridArch is not null && !IsArchitecture(ridArch))
        {
            os = rid; // e.g. "linux-musl": no architecture part
            ridArch = null;
        }
        bool knownOs = os is "win" or "osx" or "linux" or "unix" or "freebsd" or "android" or "ios" or "browser" or "linux-musl" or "linux-bionic" or "maccatalyst" or "tvos";
        if (!knownOs) return true; // a distribution RID we do not judge: keep it
        return family.Contains(os) && (ridArch is null || ridArch == arch);
    }

    private static bool IsArchitecture(string part) => part is "x64" or "x86" or "arm" or "arm64" or "armel" or "s390x" or "ppc64le" or "loongarch64" or "riscv64" or "wasm";
}
