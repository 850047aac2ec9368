using Arc.Sdk;
using Arc.Tracking.Server;

namespace Arc.Tracking.Recording;

/// <summary>
/// Records training runs into a tracking destination: one experiment per model run, in namespace
/// <see cref="Namespace"/>, owned by <see cref="Owner"/>. Its connection (the embedded SQLite store and its blobs, or a
/// server client) opens on the first run and is shared by every run it records; dispose the recorder to close it.
/// </summary>
/// <param name="destination">Where the records go.</param>
public sealed class TrackingRecorder(TrackingDestination destination) : ITrainingRecorder, IAsyncDisposable
{
    private readonly SemaphoreSlim _opening = new(1, 1);
    private TrackingConnection? _connection;

    /// <summary>Where the records go.</summary>
    public TrackingDestination Destination { get; } = destination ?? throw new ArgumentNullException(nameof(destination));

    /// <summary>The namespace experiments and models are recorded in: <c>ARC_TRACKING_NAMESPACE</c>, else <c>default</c>.</summary>
    public string Namespace { get; init; } = TrackingNames.Namespace(
        System.Environment.GetEnvironmentVariable("ARC_TRACKING_NAMESPACE") is { Length: > 0 } ns ? ns : "default", "ARC_TRACKING_NAMESPACE");

    /// <summary>Who runs the training: the operating system's user name.</summary>
    public string Owner { get; init; } = System.Environment.UserName is { Length: > 0 } user ? user : "unknown";

    /// <summary>The settings of each run's <see cref="TrackingClient"/>.</summary>
    public TrackingClientOptions ClientOptions { get; init; } = new();

    /// <inheritdoc />
    public async ValueTask<ITrainingRecording> StartAsync(TrainingRunInfo run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        var draft = RunDescription.Draft(run, Namespace, Owner);
        var experiment = await connection.Store.CreateExperimentAsync(draft, cancellationToken).ConfigureAwait(false);
        return new TrackingRecording(connection, experiment, run, Owner, new TrackingClient(connection.Store, ClientOptions));
    }

    /// <summary>The open connection (opened on first use).</summary>
    public async ValueTask<TrackingConnection> ConnectAsync(CancellationToken cancellationToken = default)
    {
        if (_connection is { } open) return open;
        await _opening.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _connection ??= await TrackingConnection.OpenAsync(Destination, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _opening.Release();
        }
    }

    /// <summary>Closes the connection; runs recorded through it can no longer add to their records.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_connection is { } connection) await connection.DisposeAsync().ConfigureAwait(false);
        _connection = null;
    }
}
