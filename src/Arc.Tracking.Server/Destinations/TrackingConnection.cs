namespace Arc.Tracking.Server;

/// <summary>
/// An open <see cref="TrackingDestination"/>: the metadata store to write to and, where the destination keeps blobs
/// this process can write, its blob store. <c>file:&lt;dir&gt;</c> opens the embedded SQLite store
/// (<c>&lt;dir&gt;/metadata.db</c>) and a disk blob store (<c>&lt;dir&gt;/blobs</c>) in this process;
/// <c>http://host:port</c> opens a <see cref="TrackingServerClient"/>.
/// </summary>
public sealed class TrackingConnection : IAsyncDisposable
{
    private TrackingConnection(TrackingDestination destination, IMetadataStore store, IBlobStore? blobs)
    {
        Destination = destination;
        Store = store;
        Blobs = blobs;
    }

    /// <summary>Where it goes.</summary>
    public TrackingDestination Destination { get; }

    /// <summary>The metadata store (owned: disposed with the connection).</summary>
    public IMetadataStore Store { get; }

    /// <summary>The blob store of the embedded destination (<c>&lt;dir&gt;/blobs</c>); null for a server, which keeps its own.</summary>
    public IBlobStore? Blobs { get; }

    /// <summary>
    /// Stores <paramref name="content"/> as a blob and attaches it to <paramref name="owner"/> as <paramref name="name"/>:
    /// into the disk blob store and the embedded store, or streamed to the server (<see cref="TrackingServerClient.UploadFileAsync"/>).
    /// </summary>
    /// <exception cref="TrackingNotFoundException">The owner does not exist.</exception>
    /// <exception cref="TrackingAlreadyExistsException">The owner has a file of that name.</exception>
    public async Task<AttachedFile> UploadFileAsync(FileOwner owner, string name, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (Store is TrackingServerClient server) return await server.UploadFileAsync(owner, name, content, cancellationToken).ConfigureAwait(false);
        var blob = await Blobs!.PutAsync(content, cancellationToken).ConfigureAwait(false);
        return await Store.AttachFileAsync(owner, new FileRef(name, blob.Sha256, blob.Size), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Opens <paramref name="destination"/> (see the class).</summary>
    /// <exception cref="IOException">The embedded store's folder or database cannot be opened.</exception>
    public static async Task<TrackingConnection> OpenAsync(TrackingDestination destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.Directory is string directory)
        {
            var store = await SqliteMetadataStore.OpenAsync(Path.Combine(directory, "metadata.db"), cancellationToken).ConfigureAwait(false);
            return new TrackingConnection(destination, store, new DiskBlobStore(Path.Combine(directory, "blobs")));
        }
        return new TrackingConnection(destination, OpenServer(destination.Server!), null);
    }

    /// <summary>Opens <see cref="TrackingDestination.Parse"/>(<paramref name="destination"/>): null or <c>file:</c> for the embedded default.</summary>
    /// <exception cref="ArgumentException">The text is not a destination.</exception>
    public static Task<TrackingConnection> OpenAsync(string? destination, CancellationToken cancellationToken = default)
        => OpenAsync(TrackingDestination.Parse(destination), cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Store.DisposeAsync();

    private static IMetadataStore OpenServer(Uri address) => new TrackingServerClient(address);
}
