namespace Arc.Models;

/// <summary>How <see cref="ModelVersion.PublishAsync{X, Y}"/> publishes a model version.</summary>
public sealed record ModelPublishOptions
{
    /// <summary>
    /// The version's name: letters, digits, <c>.</c>, <c>_</c>, <c>-</c> (a folder name, at most 128 characters). Null
    /// (the default): the UTC time of publishing, <c>yyyyMMdd-HHmmss-fffffff</c>, as the seed's builder does.
    /// </summary>
    public string? Version { get; init; }

    /// <summary>
    /// Where to register the version as well: <c>file:&lt;dir&gt;</c> or <c>http://host:port</c> (docs/tracking.md,
    /// "Destinations"). Null: <c>ARC_TRACKING_URI</c> when it is set, else nowhere.
    /// </summary>
    public string? Tracking { get; init; }

    /// <summary>The tracking namespace. Null: <c>ARC_TRACKING_NAMESPACE</c>, else <c>default</c>.</summary>
    public string? TrackingNamespace { get; init; }

    /// <summary>The owner recorded when the registered model is created. Null: the OS user.</summary>
    public string? Owner { get; init; }

    /// <summary>
    /// The hyperparameters to record. Null: those the model was created with (<c>ModelOrigins.HyperparametersOf</c>),
    /// empty for an object that was not made by its generated <c>Create</c>.
    /// </summary>
    public IReadOnlyDictionary<string, object>? Hyperparameters { get; init; }

    /// <summary>How a remote destination (<c>s3://</c>, <c>oci://</c>) is reached; null: from the environment (<see cref="Arc.Datasets.VersionStorageOptions"/>).</summary>
    public Arc.Datasets.VersionStorageOptions? Storage { get; init; }
}
