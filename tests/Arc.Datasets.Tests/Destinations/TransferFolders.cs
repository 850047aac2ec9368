using Arc.Artifacts;

namespace Arc.Datasets.Tests.Destinations;

/// <summary>The staging and download folders (<c>/tmp/arc-transfer-&lt;pid&gt;-…</c>) this test process holds right now.</summary>
internal static class TransferFolders
{
    public static IReadOnlyList<string> Held()
        => Directory.GetDirectories(ArcTempPaths.Root, $"arc-{ArcTempPaths.Transfer}-{Environment.ProcessId}-*").Order(StringComparer.Ordinal).ToList();
}
