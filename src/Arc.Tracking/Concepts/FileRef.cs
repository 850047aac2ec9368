namespace Arc.Tracking;

/// <summary>
/// A named file whose bytes are a blob in the blob store: the name it has for its owner (<c>weights.bin</c>,
/// <c>notebooks/eval.ipynb</c>), the sha256 of its bytes and their length.
/// </summary>
public sealed record FileRef
{
    /// <summary>A file <paramref name="name"/> (see <see cref="TrackingNames.FileName"/>) of <paramref name="size"/> bytes whose sha256 is <paramref name="sha256"/>.</summary>
    public FileRef(string name, string sha256, long size)
    {
        Name = TrackingNames.FileName(name, nameof(name));
        Sha256 = TrackingNames.Sha256(sha256, nameof(sha256));
        Size = size >= 0 ? size : throw new ArgumentOutOfRangeException(nameof(size), size, "a file's size is 0 bytes or more");
    }

    /// <summary>The file's name, unique among its owner's files.</summary>
    public string Name { get; }

    /// <summary>The sha256 of its bytes (64 lowercase hex digits): the blob's name.</summary>
    public string Sha256 { get; }

    /// <summary>Its length in bytes.</summary>
    public long Size { get; }
}
