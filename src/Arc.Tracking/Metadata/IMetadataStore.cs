namespace Arc.Tracking;

/// <summary>
/// Where the tracking metadata lives: namespaces, experiments, metric series, checkpoints, models, versions, labels, files
/// and the event log. SQLite (embedded) and PostgreSQL (shared) implement it in <c>Arc.Tracking.Server</c>, and one
/// contract test suite holds both to the same behaviour.
/// </summary>
/// <remarks>
/// <para>Every change (create, update, label set or removed, file attached) appends one <see cref="TrackingEvent"/> in the
/// same transaction as the change, and a change that fails appends none. Metric points are not events: they are the
/// bulk of the data and have their own reads.</para>
/// <para>Errors: <see cref="ArgumentException"/> for a malformed argument, <see cref="TrackingNotFoundException"/> for an
/// unknown id, <see cref="TrackingAlreadyExistsException"/> for a taken name, <see cref="TrackingInvalidArgumentException"/>
/// for an argument that conflicts with what is stored. A failed call changes nothing.</para>
/// <para>Times are kept to the microsecond. Objects are never deleted (labels are removed; the history stays in the events).</para>
/// </remarks>
public interface IMetadataStore : IAsyncDisposable
{
    /// <summary>Every namespace, by name.</summary>
    Task<IReadOnlyList<TrackingNamespace>> ListNamespacesAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates an experiment with status <see cref="ExperimentStatus.Running"/> (and its namespace if new).</summary>
    /// <exception cref="TrackingAlreadyExistsException">The namespace has an experiment of that name.</exception>
    Task<Experiment> CreateExperimentAsync(ExperimentDraft draft, CancellationToken cancellationToken = default);

    /// <summary>The experiment <paramref name="experimentId"/>.</summary>
    /// <exception cref="TrackingNotFoundException">No experiment has that id.</exception>
    Task<Experiment> GetExperimentAsync(string experimentId, CancellationToken cancellationToken = default);

    /// <summary>The experiment named <paramref name="name"/> in <paramref name="namespace"/>, or null.</summary>
    Task<Experiment?> FindExperimentAsync(string @namespace, string name, CancellationToken cancellationToken = default);

    /// <summary>The experiments of <paramref name="namespace"/> (of all namespaces when null), oldest first.</summary>
    Task<IReadOnlyList<Experiment>> ListExperimentsAsync(string? @namespace = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets an experiment's status. An end status records <paramref name="endedAt"/> (the store's clock when null);
    /// <see cref="ExperimentStatus.Running"/> clears the end time and refuses an <paramref name="endedAt"/>.
    /// </summary>
    /// <exception cref="TrackingNotFoundException">No experiment has that id.</exception>
    Task<Experiment> SetExperimentStatusAsync(string experimentId, ExperimentStatus status, DateTimeOffset? endedAt = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a batch of points in one transaction, or nothing when a batch with the same idempotency key was stored
    /// before (<see cref="MetricBatchOutcome.AlreadyStored"/>).
    /// </summary>
    /// <exception cref="TrackingNotFoundException">No experiment has the batch's id.</exception>
    /// <exception cref="TrackingInvalidArgumentException">The idempotency key was used before for different points.</exception>
    Task<MetricBatchOutcome> LogMetricsAsync(MetricBatch batch, CancellationToken cancellationToken = default);

    /// <summary>
    /// The points of series <paramref name="key"/> whose step is within [<paramref name="fromStep"/>, <paramref name="toStep"/>]
    /// (open where null), by step and, within a step, in the order they were logged. An unknown key has no points.
    /// </summary>
    /// <exception cref="TrackingNotFoundException">No experiment has that id.</exception>
    Task<IReadOnlyList<MetricPoint>> ReadMetricAsync(string experimentId, string key, long? fromStep = null, long? toStep = null, CancellationToken cancellationToken = default);

    /// <summary>The last logged point of every series of the experiment, by key.</summary>
    /// <exception cref="TrackingNotFoundException">No experiment has that id.</exception>
    Task<IReadOnlyList<MetricPoint>> ReadLatestMetricsAsync(string experimentId, CancellationToken cancellationToken = default);

    /// <summary>Records a checkpoint of an experiment.</summary>
    /// <exception cref="TrackingNotFoundException">No experiment has the draft's id.</exception>
    Task<Checkpoint> CreateCheckpointAsync(CheckpointDraft draft, CancellationToken cancellationToken = default);

    /// <summary>The checkpoint <paramref name="checkpointId"/>.</summary>
    /// <exception cref="TrackingNotFoundException">No checkpoint has that id.</exception>
    Task<Checkpoint> GetCheckpointAsync(string checkpointId, CancellationToken cancellationToken = default);

    /// <summary>The checkpoints of an experiment by step, then in the order recorded.</summary>
    /// <exception cref="TrackingNotFoundException">No experiment has that id.</exception>
    Task<IReadOnlyList<Checkpoint>> ListCheckpointsAsync(string experimentId, CancellationToken cancellationToken = default);

    /// <summary>Registers a model (and its namespace if new).</summary>
    /// <exception cref="TrackingAlreadyExistsException">The namespace has a model of that name.</exception>
    Task<RegisteredModel> CreateModelAsync(RegisteredModelDraft draft, CancellationToken cancellationToken = default);

    /// <summary>The model <paramref name="modelId"/>.</summary>
    /// <exception cref="TrackingNotFoundException">No model has that id.</exception>
    Task<RegisteredModel> GetModelAsync(string modelId, CancellationToken cancellationToken = default);

    /// <summary>The model named <paramref name="name"/> in <paramref name="namespace"/>, or null.</summary>
    Task<RegisteredModel?> FindModelAsync(string @namespace, string name, CancellationToken cancellationToken = default);

    /// <summary>The models of <paramref name="namespace"/> (of all namespaces when null), oldest first.</summary>
    Task<IReadOnlyList<RegisteredModel>> ListModelsAsync(string? @namespace = null, CancellationToken cancellationToken = default);

    /// <summary>Adds a version to a model, numbered one more than the model's last (1 for the first).</summary>
    /// <exception cref="TrackingNotFoundException">The model, the lineage's experiment or its parent version does not exist.</exception>
    Task<ModelVersion> CreateModelVersionAsync(ModelVersionDraft draft, CancellationToken cancellationToken = default);

    /// <summary>The model version <paramref name="versionId"/>.</summary>
    /// <exception cref="TrackingNotFoundException">No version has that id.</exception>
    Task<ModelVersion> GetModelVersionAsync(string versionId, CancellationToken cancellationToken = default);

    /// <summary>Version number <paramref name="version"/> of model <paramref name="modelId"/>, or null.</summary>
    /// <exception cref="TrackingNotFoundException">No model has that id.</exception>
    Task<ModelVersion?> FindModelVersionAsync(string modelId, int version, CancellationToken cancellationToken = default);

    /// <summary>The versions of a model by number.</summary>
    /// <exception cref="TrackingNotFoundException">No model has that id.</exception>
    Task<IReadOnlyList<ModelVersion>> ListModelVersionsAsync(string modelId, CancellationToken cancellationToken = default);

    /// <summary>Sets label <paramref name="key"/> to <paramref name="value"/> on a model or version (replacing its value if set).</summary>
    /// <exception cref="TrackingNotFoundException">The target does not exist.</exception>
    Task SetLabelAsync(LabelTarget target, string key, string value, CancellationToken cancellationToken = default);

    /// <summary>Removes label <paramref name="key"/> from a model or version.</summary>
    /// <exception cref="TrackingNotFoundException">The target does not exist, or has no label <paramref name="key"/>.</exception>
    Task RemoveLabelAsync(LabelTarget target, string key, CancellationToken cancellationToken = default);

    /// <summary>Attaches a file (a blob by sha256) to an experiment or a model version.</summary>
    /// <exception cref="TrackingNotFoundException">The owner does not exist.</exception>
    /// <exception cref="TrackingAlreadyExistsException">The owner has a file of that name.</exception>
    Task<AttachedFile> AttachFileAsync(FileOwner owner, FileRef file, CancellationToken cancellationToken = default);

    /// <summary>The files of an experiment or a model version, by name.</summary>
    /// <exception cref="TrackingNotFoundException">The owner does not exist.</exception>
    Task<IReadOnlyList<AttachedFile>> ListFilesAsync(FileOwner owner, CancellationToken cancellationToken = default);

    /// <summary>The events after <see cref="EventQuery.AfterId"/> that match the query, by id, at most <see cref="EventQuery.Limit"/>.</summary>
    Task<IReadOnlyList<TrackingEvent>> ReadEventsAsync(EventQuery query, CancellationToken cancellationToken = default);
}
