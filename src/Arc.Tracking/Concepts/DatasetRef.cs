namespace Arc.Tracking;

/// <summary>The dataset a model version was trained on: its name, its version and, when known, the hash of its content.</summary>
public sealed record DatasetRef
{
    /// <summary>Dataset <paramref name="name"/> at <paramref name="version"/>, with the content hash <paramref name="hash"/> when known (<c>sha256:…</c> or any token without spaces, at most 256 characters).</summary>
    public DatasetRef(string name, string version, string? hash = null)
    {
        Name = TrackingNames.Name(name, nameof(name), "dataset name");
        Version = TrackingNames.Token(version, nameof(version), "dataset version", 128);
        Hash = hash is null ? null : TrackingNames.Token(hash, nameof(hash), "dataset hash", 256);
    }

    /// <summary>The dataset's name.</summary>
    public string Name { get; }

    /// <summary>Its version.</summary>
    public string Version { get; }

    /// <summary>The hash of its content, when known.</summary>
    public string? Hash { get; }
}
