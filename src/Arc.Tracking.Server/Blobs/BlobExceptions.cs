namespace Arc.Tracking.Server;

/// <summary>
/// A stored blob's bytes are not the ones its address names: the store's copy was altered or truncated after it was
/// written. Thrown at the end of reading (see <see cref="IBlobStore.OpenReadAsync"/>); the store keeps serving other
/// blobs.
/// </summary>
public sealed class BlobCorruptedException : IOException
{
    /// <summary>Creates the exception for blob <paramref name="expectedSha256"/> whose stored bytes hash to <paramref name="foundSha256"/>.</summary>
    public BlobCorruptedException(string store, string expectedSha256, string foundSha256, long bytesRead)
        : base($"blob sha256:{expectedSha256} in {store} is corrupt: its stored bytes ({bytesRead} read) hash to sha256:{foundSha256}. " +
               "Discard what was read; storing the same content again replaces the damaged copy, or restore it from a backup.")
    {
        Store = store;
        ExpectedSha256 = expectedSha256;
        FoundSha256 = foundSha256;
        BytesRead = bytesRead;
    }

    /// <summary>Which store (its folder or bucket and prefix).</summary>
    public string Store { get; }

    /// <summary>The blob's address: what its bytes should hash to.</summary>
    public string ExpectedSha256 { get; }

    /// <summary>What the stored bytes hash to.</summary>
    public string FoundSha256 { get; }

    /// <summary>How many bytes were read before the mismatch was found (all of them).</summary>
    public long BytesRead { get; }
}

/// <summary>No blob with this address is stored.</summary>
public sealed class BlobNotFoundException : FileNotFoundException
{
    /// <summary>Creates the exception for blob <paramref name="sha256"/> missing from <paramref name="store"/>.</summary>
    public BlobNotFoundException(string store, string sha256)
        : base($"no blob sha256:{sha256} in {store}")
    {
        Store = store;
        Sha256 = sha256;
    }

    /// <summary>Which store (its folder or bucket and prefix).</summary>
    public string Store { get; }

    /// <summary>The address asked for.</summary>
    public string Sha256 { get; }
}
