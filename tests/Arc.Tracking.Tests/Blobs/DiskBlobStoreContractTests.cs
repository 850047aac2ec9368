using Arc.Tracking.Server;
using Xunit;

namespace Arc.Tracking.Tests;

/// <summary>The blob store contract against <see cref="DiskBlobStore"/> in a fresh temporary folder per test.</summary>
public sealed class DiskBlobStoreContractTests : BlobStoreContractTests, IDisposable
{
    readonly BlobTestScratch _scratch = new("blobs");
    readonly DiskBlobStore _store;

    public DiskBlobStoreContractTests()
    {
        _store = new DiskBlobStore(Path.Combine(_scratch.Path, "store"));
    }

    private protected override IBlobStore Store => _store;

    private protected override string StoredFilePath(string sha256) => _store.PathOf(sha256);

    private protected override IReadOnlyList<string> Leftovers() => Directory.GetFiles(Path.Combine(_store.Root, "incoming"));

    public void Dispose() => _scratch.Dispose();
}
