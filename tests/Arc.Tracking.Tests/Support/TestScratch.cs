using Arc.Artifacts;

namespace Arc.Tracking.Tests.Support;

/// <summary>
/// A test's scratch folder: an owned Arc temporary path (<c>/tmp/arc-scratch-&lt;pid&gt;-&lt;start&gt;-…</c>, mode 0700), so a
/// killed test run leaves nothing for good: the next Arc process sweeps a dead owner's folders, and scripts/test.sh fails
/// when one is left at the end of a run.
/// </summary>
internal static class TestScratch
{
    public static DirectoryInfo Create() => new(ArcTempPaths.CreateDirectory(ArcTempPaths.Scratch));

    public static void Delete(DirectoryInfo? directory)
    {
        if (directory is null) return;
        try
        {
            directory.Delete(recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
