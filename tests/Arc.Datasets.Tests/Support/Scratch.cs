using Arc.Artifacts;

namespace Arc.Datasets.Tests.Support;

/// <summary>
/// A test's scratch folder: an owned Arc temporary path (<c>/tmp/arc-scratch-&lt;pid&gt;-&lt;start&gt;-…</c>), removed on
/// dispose; a killed run's folder is swept by the next Arc process and flagged by scripts/test.sh.
/// </summary>
internal sealed class Scratch : IDisposable
{
    public string Path { get; } = ArcTempPaths.CreateDirectory(ArcTempPaths.Scratch);

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (DirectoryNotFoundException) { }
    }
}
