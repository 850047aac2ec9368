namespace Arc.Tracking.Tests;

/// <summary>A temporary folder for one test or fixture, removed when disposed.</summary>
internal sealed class BlobTestScratch : IDisposable
{
    public BlobTestScratch(string purpose)
    {
        Path = Directory.CreateTempSubdirectory($"arc-tracking-{purpose}-").FullName;
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open elsewhere; the system's temporary folder cleaning removes it later.
        }
    }
}
