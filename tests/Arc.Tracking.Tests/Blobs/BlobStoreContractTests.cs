using System.Security.Cryptography;
using Arc.Tracking.Server;
using Xunit;

namespace Arc.Tracking.Tests;

/// <summary>
/// What every <see cref="IBlobStore"/> must do, run against each store by a derived class: content addressing,
/// streaming both ways, refusing hostile addresses, detecting altered and truncated blobs while still serving the
/// others, and leaving nothing behind when an upload fails.
/// </summary>
public abstract class BlobStoreContractTests
{
    const int MiB = 1024 * 1024;

    /// <summary>The running test's cancellation (ends a hung call when the test run is stopped).</summary>
    private protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The store under test, empty at the start of each test.</summary>
    private protected abstract IBlobStore Store { get; }

    /// <summary>The file that holds blob <paramref name="sha256"/>'s bytes (the disk store's, or the test server's).</summary>
    private protected abstract string StoredFilePath(string sha256);

    /// <summary>Anything a finished, failed or cancelled upload left beside the blobs (temporary files or objects).</summary>
    private protected abstract IReadOnlyList<string> Leftovers();

    /// <summary>Sizes that cross the store's internal boundaries (its copy chunk, or its part size).</summary>
    public static TheoryData<int> Sizes => new() { 0, 1, 1000, MiB + 7, 5 * MiB, 5 * MiB + 1, 12 * MiB + 3 };

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task Put_returns_the_sha256_and_size_and_reading_gives_back_the_same_bytes(int size)
    {
        byte[] content = DeterministicStream.Bytes((ulong)size, size);

        var blob = await Store.PutAsync(new DeterministicStream((ulong)size, size), Ct);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), blob.Sha256);
        Assert.Equal(size, blob.Size);
        Assert.True(await Store.ExistsAsync(blob.Sha256, Ct));
        Assert.Equal(content, await ReadAllAsync(blob.Sha256));
        Assert.Empty(Leftovers());
    }

    [Fact]
    public async Task Content_already_stored_is_not_written_again()
    {
        var first = await Store.PutAsync(new DeterministicStream(1, 6 * MiB), Ct);
        string file = StoredFilePath(first.Sha256);
        var marked = new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(file, marked);

        var second = await Store.PutAsync(new DeterministicStream(1, 6 * MiB), Ct);

        Assert.Equal(first, second);
        Assert.Equal(marked, File.GetLastWriteTimeUtc(file));
        Assert.Empty(Leftovers());
    }

    [Fact]
    public async Task Exists_and_delete_follow_the_blob()
    {
        var blob = await Store.PutAsync(new DeterministicStream(2, 300), Ct);
        var other = await Store.PutAsync(new DeterministicStream(3, 300), Ct);

        Assert.True(await Store.DeleteAsync(blob.Sha256, Ct));

        Assert.False(await Store.ExistsAsync(blob.Sha256, Ct));
        Assert.False(await Store.DeleteAsync(blob.Sha256, Ct));
        var missing = await Assert.ThrowsAsync<BlobNotFoundException>(() => Store.OpenReadAsync(blob.Sha256, Ct));
        Assert.Contains(blob.Sha256, missing.Message);
        Assert.True(await Store.ExistsAsync(other.Sha256, Ct));
    }

    [Fact]
    public async Task Opening_a_blob_never_stored_throws_BlobNotFoundException()
    {
        string never = Convert.ToHexStringLower(SHA256.HashData("never stored"u8));

        var missing = await Assert.ThrowsAsync<BlobNotFoundException>(() => Store.OpenReadAsync(never, Ct));

        Assert.Equal(never, missing.Sha256);
        Assert.False(await Store.ExistsAsync(never, Ct));
    }

    /// <summary>Addresses that are not 64 lowercase hex digits, some shaped to escape the store's folder.</summary>
    public static TheoryData<string> HostileAddresses
    {
        get
        {
            string valid = Convert.ToHexStringLower(SHA256.HashData("x"u8));
            return new()
            {
                "",
                "../../../../../../etc/passwd",
                "../" + valid[3..],
                "/" + valid[1..],
                valid[..62] + "/.",
                valid.ToUpperInvariant(),
                valid[..63],
                valid + "0",
                "sha256:" + valid,
                valid[..63] + "\0",
                valid[..63] + "g",
                " " + valid[1..],
            };
        }
    }

    [Theory]
    [MemberData(nameof(HostileAddresses))]
    public async Task An_address_that_is_not_64_lowercase_hex_digits_is_refused_before_any_path_is_made(string address)
    {
        var open = await Assert.ThrowsAsync<ArgumentException>(() => Store.OpenReadAsync(address, Ct));
        Assert.Contains("64 lowercase hex digits", open.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ExistsAsync(address, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.DeleteAsync(address, Ct));
    }

    [Fact]
    public async Task An_altered_blob_throws_BlobCorruptedException_at_the_end_of_reading_and_the_others_still_read()
    {
        var damaged = await Store.PutAsync(new DeterministicStream(4, 3 * MiB), Ct);
        var intact = await Store.PutAsync(new DeterministicStream(5, 3 * MiB), Ct);
        FlipOneByte(StoredFilePath(damaged.Sha256), at: 2 * MiB + 5);

        var corrupt = await Assert.ThrowsAsync<BlobCorruptedException>(() => ReadAllAsync(damaged.Sha256));

        Assert.Equal(damaged.Sha256, corrupt.ExpectedSha256);
        Assert.NotEqual(damaged.Sha256, corrupt.FoundSha256);
        Assert.Equal(damaged.Size, corrupt.BytesRead);
        Assert.Contains("corrupt", corrupt.Message);
        Assert.Equal(DeterministicStream.Bytes(5, 3 * MiB), await ReadAllAsync(intact.Sha256));
        var later = await Store.PutAsync(new DeterministicStream(6, 1000), Ct);
        Assert.Equal(DeterministicStream.Bytes(6, 1000), await ReadAllAsync(later.Sha256));
        // Still corrupt on a second read: nothing was silently repaired or hidden.
        await Assert.ThrowsAsync<BlobCorruptedException>(() => ReadAllAsync(damaged.Sha256));
    }

    [Fact]
    public async Task A_truncated_blob_throws_BlobCorruptedException_and_storing_it_again_repairs_it()
    {
        var blob = await Store.PutAsync(new DeterministicStream(7, 6 * MiB), Ct);
        using (var file = new FileStream(StoredFilePath(blob.Sha256), FileMode.Open, FileAccess.Write))
            file.SetLength(blob.Size / 2);

        var corrupt = await Assert.ThrowsAsync<BlobCorruptedException>(() => ReadAllAsync(blob.Sha256));
        Assert.Equal(blob.Size / 2, corrupt.BytesRead);

        Assert.Equal(blob, await Store.PutAsync(new DeterministicStream(7, 6 * MiB), Ct));
        Assert.Equal(DeterministicStream.Bytes(7, 6 * MiB), await ReadAllAsync(blob.Sha256));
    }

    [Fact]
    public async Task Reading_part_way_then_stopping_throws_nothing_and_a_zero_length_read_is_not_the_end()
    {
        var blob = await Store.PutAsync(new DeterministicStream(8, 2 * MiB), Ct);
        FlipOneByte(StoredFilePath(blob.Sha256), at: MiB + 1);

        await using var stream = await Store.OpenReadAsync(blob.Sha256, Ct);
        var buffer = new byte[1000];
        Assert.Equal(0, await stream.ReadAsync(Memory<byte>.Empty, Ct));
        await stream.ReadExactlyAsync(buffer, Ct);
        Assert.Equal(DeterministicStream.Bytes(8, 1000), buffer);
    }

    [Theory]
    [InlineData(3 * MiB)]
    [InlineData(11 * MiB)]
    public async Task An_input_that_fails_part_way_stores_nothing_and_leaves_nothing_behind(int failAfter)
    {
        var failed = await Assert.ThrowsAsync<IOException>(() => Store.PutAsync(new FailingStream(9, failAfter), Ct));

        Assert.Equal(FailingStream.Message, failed.Message);
        Assert.Empty(Leftovers());
        Assert.False(await Store.ExistsAsync(Convert.ToHexStringLower(SHA256.HashData(DeterministicStream.Bytes(9, failAfter))), Ct));
    }

    [Fact]
    public async Task A_cancelled_put_stores_nothing_and_leaves_nothing_behind()
    {
        using var cancellation = new CancellationTokenSource();
        var input = new CancellingStream(new DeterministicStream(10, 20 * MiB), cancelAfter: 7 * MiB, cancellation);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.PutAsync(input, cancellation.Token));

        Assert.Empty(Leftovers());
    }

    private protected async Task<byte[]> ReadAllAsync(string sha256)
    {
        await using var stream = await Store.OpenReadAsync(sha256, Ct);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);
        return copy.ToArray();
    }

    private protected static void FlipOneByte(string path, long at)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = at;
        int value = file.ReadByte();
        file.Position = at;
        file.WriteByte((byte)(value ^ 0x01));
    }

    /// <summary>Cancels <c>cancellation</c> once <c>cancelAfter</c> bytes were read: a caller that gives up mid-upload.</summary>
    sealed class CancellingStream(Stream inner, long cancelAfter, CancellationTokenSource cancellation) : Stream
    {
        long _read;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int read = inner.Read(buffer);
            _read += read;
            if (_read >= cancelAfter) cancellation.Cancel();
            return read;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return ValueTask.FromResult(Read(buffer.Span));
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
