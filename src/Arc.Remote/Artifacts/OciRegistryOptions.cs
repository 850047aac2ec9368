namespace Arc.Remote.Artifacts;

/// <summary>How an <see cref="OciRegistryStore"/> talks to its registry.</summary>
public sealed class OciRegistryOptions
{
    /// <summary>
    /// Whether to use plain HTTP. Null (the default) means HTTP for loopback registries (localhost, 127.0.0.0/8, ::1)
    /// and HTTPS for every other; true marks a registry explicitly insecure; false forces HTTPS even on loopback.
    /// </summary>
    public bool? PlainHttp { get; init; }

    /// <summary>Blobs up to this size go up in one PUT; larger ones in PATCH chunks of <see cref="ChunkSize"/>.</summary>
    public long MonolithicUploadLimit { get; init; } = 16 * 1024 * 1024;

    /// <summary>The size of one PATCH chunk of a chunked upload.</summary>
    public int ChunkSize { get; init; } = 8 * 1024 * 1024;

    /// <summary>How many tags to ask for per page of <c>tags/list</c> (pages are followed through their Link headers).</summary>
    public int TagPageSize { get; init; } = 1000;

    /// <summary>The longest one HTTP request may take (a whole blob upload or download is one or a few).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(10);
}
