namespace Arc.Tracking.Server;

/// <summary>A stored blob: the SHA-256 of its bytes (64 lowercase hex digits, its address) and its size in bytes.</summary>
public readonly record struct BlobRef(string Sha256, long Size)
{
    /// <summary>The <c>sha256:&lt;hex&gt;</c> form used in messages and in OCI descriptors.</summary>
    public override string ToString() => $"sha256:{Sha256} ({Size} bytes)";
}
