using System.Security.Cryptography;
using Arc.Tracking.Server;
using Xunit;

namespace Arc.Tracking.Tests;

/// <summary>What the disk store does beyond the contract: its layout, healing a damaged copy, racing writers, and cleaning up after a killed server.</summary>
public sealed class DiskBlobStoreTests : IDisposable
{
    const int MiB = 1024 * 1024;
    readonly BlobTestScratch _scratch = new("blobs-disk");

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    string RootPath => Path.Combine(_scratch.Path, "a", "missing", "root");

    [Fact]
    public async Task A_blob_is_an_owner_only_file_at_sha256_slash_its_first_two_digits_slash_its_hash_under_a_root_made_on_open()
    {
        var store = new DiskBlobStore(RootPath);

        var blob = await store.PutAsync(new DeterministicStream(30, 1000), Ct);

        string path = Path.Combine(RootPath, "sha256", blob.Sha256[..2], blob.Sha256);
        Assert.Equal(path, store.PathOf(blob.Sha256));
        Assert.Equal(DeterministicStream.Bytes(30, 1000), await File.ReadAllBytesAsync(path, Ct));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task Storing_content_again_replaces_a_copy_damaged_without_changing_its_size()
    {
        var store = new DiskBlobStore(RootPath);
        var blob = await store.PutAsync(new DeterministicStream(31, 2 * MiB), Ct);
        byte[] damaged = DeterministicStream.Bytes(31, 2 * MiB);
        damaged[MiB] ^= 0x80;
        await File.WriteAllBytesAsync(store.PathOf(blob.Sha256), damaged, Ct);

        Assert.Equal(blob, await store.PutAsync(new DeterministicStream(31, 2 * MiB), Ct));

        Assert.Equal(DeterministicStream.Bytes(31, 2 * MiB), await File.ReadAllBytesAsync(store.PathOf(blob.Sha256), Ct));
    }

    [Fact]
    public async Task Writers_racing_with_the_same_content_all_get_its_address_and_one_file_holds_it()
    {
        var store = new DiskBlobStore(RootPath);

        var blobs = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => store.PutAsync(new DeterministicStream(32, 3 * MiB), Ct), Ct)));

        Assert.Single(blobs.Distinct());
        Assert.Single(Directory.GetFiles(Path.Combine(RootPath, "sha256"), "*", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(Path.Combine(RootPath, "incoming")));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(DeterministicStream.Bytes(32, 3 * MiB))), blobs[0].Sha256);
    }

    [Fact]
    public void Opening_the_store_removes_partial_uploads_of_processes_that_are_gone_and_keeps_those_of_live_ones()
    {
        string incoming = Path.Combine(RootPath, "incoming");
        Directory.CreateDirectory(incoming);
        int dead = Enumerable.Range(4_000_000, 1000).First(pid => !Directory.Exists($"/proc/{pid}"));
        string ofDead = Path.Combine(incoming, $"{dead}-{Guid.NewGuid():N}.part");
        string ofLive = Path.Combine(incoming, $"{Environment.ProcessId}-{Guid.NewGuid():N}.part");
        string unrelated = Path.Combine(incoming, "notes.txt");
        foreach (string file in new[] { ofDead, ofLive, unrelated }) File.WriteAllText(file, "partial");

        _ = new DiskBlobStore(RootPath);

        Assert.False(File.Exists(ofDead));
        Assert.True(File.Exists(ofLive));
        Assert.True(File.Exists(unrelated));
    }

    [Fact]
    public async Task A_stream_that_found_corruption_keeps_throwing_on_every_later_read()
    {
        var store = new DiskBlobStore(RootPath);
        var blob = await store.PutAsync(new DeterministicStream(33, 5000), Ct);
        using (var file = new FileStream(store.PathOf(blob.Sha256), FileMode.Open, FileAccess.Write)) file.SetLength(4000);

        await using var stream = await store.OpenReadAsync(blob.Sha256, Ct);
        var buffer = new byte[8192];
        Assert.Equal(4000, await stream.ReadAtLeastAsync(buffer, 4000, throwOnEndOfStream: false, Ct));
        // The read that reaches the end is the one that throws, and every read after it.
        var first = await Assert.ThrowsAsync<BlobCorruptedException>(async () => _ = await stream.ReadAtLeastAsync(buffer, 1, throwOnEndOfStream: false, Ct));
        var again = await Assert.ThrowsAsync<BlobCorruptedException>(async () => _ = await stream.ReadAtLeastAsync(buffer, 1, throwOnEndOfStream: false, Ct));

        Assert.Same(first, again);
        Assert.Equal(4000, first.BytesRead);
        Assert.Contains(RootPath, first.Message);
    }

    public void Dispose() => _scratch.Dispose();
}
