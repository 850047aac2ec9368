namespace Arc.Tracking;

/// <summary>
/// Where tracking data goes: a folder holding the embedded SQLite store (<c>file:&lt;dir&gt;</c>) or a tracking server
/// (<c>http://host:port</c>). Read from the text a user gives (<see cref="TrainOptionsTrackingText"/>) or from
/// <c>ARC_TRACKING_URI</c> (<see cref="FromEnvironment"/>); the embedded default is <c>~/.arc/tracking</c>.
/// </summary>
public sealed record TrackingDestination
{
    /// <summary>The environment variable naming the destination.</summary>
    public const string EnvironmentVariable = "ARC_TRACKING_URI";

    /// <summary>The forms a destination takes, for error messages and docs.</summary>
    internal const string TrainOptionsTrackingText = "file:<folder> (the embedded SQLite store; 'file:' alone for ~/.arc/tracking) or http://host:port (a tracking server)";

    private TrackingDestination(string? directory, Uri? server)
    {
        Directory = directory;
        Server = server;
    }

    /// <summary>The embedded store's folder: <c>~/.arc/tracking</c>.</summary>
    public static string DefaultDirectory { get; } =
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".arc", "tracking");

    /// <summary>The folder of the embedded store (its database is <c>metadata.db</c>, its blobs <c>blobs/</c>); null for a server.</summary>
    public string? Directory { get; }

    /// <summary>The tracking server's address; null for the embedded store.</summary>
    public Uri? Server { get; }

    /// <summary>Whether the data goes to the embedded SQLite store in this process.</summary>
    public bool IsEmbedded => Directory is not null;

    /// <summary>The embedded store in <paramref name="directory"/> (default <see cref="DefaultDirectory"/>), as a full path.</summary>
    public static TrackingDestination Embedded(string? directory = null)
        => new(Path.GetFullPath(string.IsNullOrEmpty(directory) ? DefaultDirectory : ExpandHome(directory)), null);

    /// <summary>The tracking server at <paramref name="address"/> (<c>http://host:port</c>).</summary>
    /// <exception cref="ArgumentException">Not an absolute http:// address with a host.</exception>
    public static TrackingDestination AtServer(Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!address.IsAbsoluteUri || address.Scheme != Uri.UriSchemeHttp || string.IsNullOrEmpty(address.Host))
            throw new ArgumentException(
                $"tracking destination '{address}' is not an http://host:port address (the tracking server speaks HTTP/2 without TLS)", nameof(address));
        if (address.PathAndQuery is not ("/" or "") || address.Fragment.Length > 0)
            throw new ArgumentException($"tracking destination '{address}' has a path; give only http://host:port", nameof(address));
        return new(null, new Uri($"http://{address.Authority}"));
    }

    /// <summary>
    /// Reads a destination: <c>file:&lt;folder&gt;</c> (absolute, relative to the current folder, or under <c>~/</c>;
    /// <c>file:</c> alone or null for <see cref="DefaultDirectory"/>), <c>file:///abs/folder</c>, or <c>http://host:port</c>.
    /// </summary>
    /// <exception cref="ArgumentException">Any other text; the message quotes it and lists the forms.</exception>
    public static TrackingDestination Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return Embedded();
        string trimmed = text.Trim();
        if (trimmed.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
            return Uri.TryCreate(trimmed, UriKind.Absolute, out var fileUri) && fileUri.IsFile
                ? Embedded(fileUri.LocalPath)
                : throw new ArgumentException($"tracking destination '{text}' is not a valid file:// address; use {TrainOptionsTrackingText}", nameof(text));
        if (trimmed.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
            return Embedded(trimmed["file:".Length..]);
        if (trimmed.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && Uri.TryCreate(trimmed, UriKind.Absolute, out var http))
            return AtServer(http);
        throw new ArgumentException($"tracking destination '{text}' is neither {TrainOptionsTrackingText}", nameof(text));
    }

    /// <summary>The destination <c>ARC_TRACKING_URI</c> names, or null when it is unset or empty.</summary>
    /// <exception cref="ArgumentException">The variable holds something that is not a destination.</exception>
    public static TrackingDestination? FromEnvironment()
    {
        string? text = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(text)) return null;
        try
        {
            return Parse(text);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{EnvironmentVariable}: {e.Message}", EnvironmentVariable, e);
        }
    }

    /// <summary><c>file:&lt;folder&gt;</c> or <c>http://host:port</c>, as <see cref="Parse"/> reads it back.</summary>
    public override string ToString() => IsEmbedded ? "file:" + Directory : Server!.GetLeftPart(UriPartial.Authority);

    private static string ExpandHome(string path)
        => path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.Length > 2 ? path[2..] : "")
            : path;
}
