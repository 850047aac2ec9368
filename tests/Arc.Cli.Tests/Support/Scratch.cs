using Arc.Artifacts;

namespace Arc.Cli.Tests.Support;

/// <summary>
/// A test's scratch folder, an owned Arc temporary path (<c>/tmp/arc-scratch-…</c>): the tool's HOME, its config and its
/// stores live here, and a killed run leaves nothing for good (the next Arc process sweeps a dead owner's folders).
/// </summary>
internal sealed class Scratch : IDisposable
{
    public Scratch() => Root = ArcTempPaths.CreateDirectory(ArcTempPaths.Scratch);

    public string Root { get; }

    public string this[string relative] => Path.Combine(Root, relative);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
