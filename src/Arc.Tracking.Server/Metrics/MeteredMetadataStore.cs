using System.Collections.Concurrent;

namespace Arc.Tracking.Server;

/// <summary>
/// The store as the service sees it: every call goes to the real store, and what it did is counted in
/// <see cref="TrackingServerMetrics"/> — points stored, one event per committed change (by kind) and the failures that
/// are the store's, not the caller's. It does not own the store: disposing it does nothing.
/// </summary>
/// <remarks>
/// A namespace's first experiment or model also commits <c>namespace.created</c>; it is counted when a namespace this
/// server has not seen (the store's list, read once before the first create) appears. Changes other servers make in a
/// shared PostgreSQL database are theirs to count.
/// </remarks>
internal sealed class MeteredMetadataStore(IMetadataStore store, TrackingServerMetrics metrics) : IMetadataStore, IMetricPageSource
{
    private readonly ConcurrentDictionary<string, byte> _knownNamespaces = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _loadNamespaces = new(1, 1);
    private volatile bool _namespacesLoaded;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public Task<IReadOnlyList<TrackingNamespace>> ListNamespacesAsync(CancellationToken cancellationToken = default)
        => Run("ListNamespaces", () => store.ListNamespacesAsync(cancellationToken));

    public async Task<Experiment> CreateExperimentAsync(ExperimentDraft draft, CancellationToken cancellationToken = default)
    {
        await LoadNamespacesAsync(cancellationToken).ConfigureAwait(false);
        var experiment = await Run("CreateExperiment", () => store.CreateExperimentAsync(draft, cancellationToken)).ConfigureAwait(false);
        CountNamespace(experiment.Namespace);
        Event(TrackingEventKinds.ExperimentCreated);
        return experiment;
    }

    public Task<Experiment> GetExperimentAsync(string experimentId, CancellationToken cancellationToken = default)
        => Run("GetExperiment", () => store.GetExperimentAsync(experimentId, cancellationToken));

    public Task<Experiment?> FindExperimentAsync(string @namespace, string name, CancellationToken cancellationToken = default)
        => Run("FindExperiment", () => store.FindExperimentAsync(@namespace, name, cancellationToken));

    public Task<IReadOnlyList<Experiment>> ListExperimentsAsync(string? @namespace = null, CancellationToken cancellationToken = default)
        => Run("ListExperiments", () => store.ListExperimentsAsync(@namespace, cancellationToken));

    public async Task<Experiment> SetExperimentStatusAsync(string experimentId, ExperimentStatus status, DateTimeOffset? endedAt = null, CancellationToken cancellationToken = default)
    {
        var experiment = await Run("SetExperimentStatus", () => store.SetExperimentStatusAsync(experimentId, status, endedAt, cancellationToken)).ConfigureAwait(false);
        Event(TrackingEventKinds.ExperimentStatusChanged);
        return experiment;
    }

    public async Task<MetricBatchOutcome> LogMetricsAsync(MetricBatch batch, CancellationToken cancellationToken = default)
    {
        var outcome = await Run("LogMetrics", () => store.LogMetricsAsync(batch, cancellationToken)).ConfigureAwait(false);
        if (outcome == MetricBatchOutcome.Stored) metrics.PointsStored.Inc(batch.Points.Count);
        return outcome;
    }

    public Task<IReadOnlyList<MetricPoint>> ReadMetricAsync(string experimentId, string key, long? fromStep = null, long? toStep = null, CancellationToken cancellationToken = default)
        => Run("ReadMetric", () => store.ReadMetricAsync(experimentId, key, fromStep, toStep, cancellationToken));

    /// <summary>The store's own pages when it reads them as rows come (<see cref="IMetricPageSource"/>), else its whole series cut into pages.</summary>
    public async IAsyncEnumerable<IReadOnlyList<MetricPoint>> ReadMetricPagesAsync(string experimentId, string key, long? fromStep, long? toStep, int pagePoints,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (store is not IMetricPageSource source)
        {
            var points = await ReadMetricAsync(experimentId, key, fromStep, toStep, cancellationToken).ConfigureAwait(false);
            foreach (var page in points.Chunk(pagePoints)) yield return page;
            yield break;
        }
        var pages = source.ReadMetricPagesAsync(experimentId, key, fromStep, toStep, pagePoints, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using var pagesDisposal = pages.ConfigureAwait(false);
        while (await Run("ReadMetric", async () => await pages.MoveNextAsync().ConfigureAwait(false)).ConfigureAwait(false))
            yield return pages.Current;
    }

    public Task<IReadOnlyList<MetricPoint>> ReadLatestMetricsAsync(string experimentId, CancellationToken cancellationToken = default)
        => Run("ReadLatestMetrics", () => store.ReadLatestMetricsAsync(experimentId, cancellationToken));

    public async Task<Checkpoint> CreateCheckpointAsync(CheckpointDraft draft, CancellationToken cancellationToken = default)
    {
        var checkpoint = await Run("CreateCheckpoint", () => store.CreateCheckpointAsync(draft, cancellationToken)).ConfigureAwait(false);
        Event(TrackingEventKinds.CheckpointCreated);
        return checkpoint;
    }

    public Task<Checkpoint> GetCheckpointAsync(string checkpointId, CancellationToken cancellationToken = default)
        => Run("GetCheckpoint", () => store.GetCheckpointAsync(checkpointId, cancellationToken));

    public Task<IReadOnlyList<Checkpoint>> ListCheckpointsAsync(string experimentId, CancellationToken cancellationToken = default)
        => Run("ListCheckpoints", () => store.ListCheckpointsAsync(experimentId, cancellationToken));

    public async Task<RegisteredModel> CreateModelAsync(RegisteredModelDraft draft, CancellationToken cancellationToken = default)
    {
        await LoadNamespacesAsync(cancellationToken).ConfigureAwait(false);
        var model = await Run("CreateModel", () => store.CreateModelAsync(draft, cancellationToken)).ConfigureAwait(false);
        CountNamespace(model.Namespace);
        Event(TrackingEventKinds.ModelCreated);
        return model;
    }

    public Task<RegisteredModel> GetModelAsync(string modelId, CancellationToken cancellationToken = default)
        => Run("GetModel", () => store.GetModelAsync(modelId, cancellationToken));

    public Task<RegisteredModel?> FindModelAsync(string @namespace, string name, CancellationToken cancellationToken = default)
        => Run("FindModel", () => store.FindModelAsync(@namespace, name, cancellationToken));

    public Task<IReadOnlyList<RegisteredModel>> ListModelsAsync(string? @namespace = null, CancellationToken cancellationToken = default)
        => Run("ListModels", () => store.ListModelsAsync(@namespace, cancellationToken));

    public async Task<ModelVersion> CreateModelVersionAsync(ModelVersionDraft draft, CancellationToken cancellationToken = default)
    {
        var version = await Run("CreateModelVersion", () => store.CreateModelVersionAsync(draft, cancellationToken)).ConfigureAwait(false);
        Event(TrackingEventKinds.ModelVersionCreated);
        return version;
    }

    public Task<ModelVersion> GetModelVersionAsync(string versionId, CancellationToken cancellationToken = default)
        => Run("GetModelVersion", () => store.GetModelVersionAsync(versionId, cancellationToken));

    public Task<ModelVersion?> FindModelVersionAsync(string modelId, int version, CancellationToken cancellationToken = default)
        => Run("FindModelVersion", () => store.FindModelVersionAsync(modelId, version, cancellationToken));

    public Task<IReadOnlyList<ModelVersion>> ListModelVersionsAsync(string modelId, CancellationToken cancellationToken = default)
        => Run("ListModelVersions", () => store.ListModelVersionsAsync(modelId, cancellationToken));

    public async Task SetLabelAsync(LabelTarget target, string key, string value, CancellationToken cancellationToken = default)
    {
        await Run("SetLabel", async () => { await store.SetLabelAsync(target, key, value, cancellationToken).ConfigureAwait(false); return 0; }).ConfigureAwait(false);
        Event(TrackingEventKinds.LabelSet);
    }

    public async Task RemoveLabelAsync(LabelTarget target, string key, CancellationToken cancellationToken = default)
    {
        await Run("RemoveLabel", async () => { await store.RemoveLabelAsync(target, key, cancellationToken).ConfigureAwait(false); return 0; }).ConfigureAwait(false);
        Event(TrackingEventKinds.LabelRemoved);
    }

    public async Task<AttachedFile> AttachFileAsync(FileOwner owner, FileRef file, CancellationToken cancellationToken = default)
    {
        var attached = await Run("AttachFile", () => store.AttachFileAsync(owner, file, cancellationToken)).ConfigureAwait(false);
        Event(TrackingEventKinds.FileAttached);
        return attached;
    }

    public Task<IReadOnlyList<AttachedFile>> ListFilesAsync(FileOwner owner, CancellationToken cancellationToken = default)
        => Run("ListFiles", () => store.ListFilesAsync(owner, cancellationToken));

    public Task<IReadOnlyList<TrackingEvent>> ReadEventsAsync(EventQuery query, CancellationToken cancellationToken = default)
        => Run("ReadEvents", () => store.ReadEventsAsync(query, cancellationToken));

    private void Event(string kind) => metrics.Events.WithLabels(kind).Inc();

    private void CountNamespace(string space)
    {
        if (_knownNamespaces.TryAdd(space, 0)) Event(TrackingEventKinds.NamespaceCreated);
    }

    private async Task LoadNamespacesAsync(CancellationToken cancellationToken)
    {
        if (_namespacesLoaded) return;
        await _loadNamespaces.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_namespacesLoaded) return;
            foreach (var space in await ListNamespacesAsync(cancellationToken).ConfigureAwait(false))
                _knownNamespaces.TryAdd(space.Name, 0);
            _namespacesLoaded = true;
        }
        finally
        {
            _loadNamespaces.Release();
        }
    }

    /// <summary>Runs one store call; a failure that is not a refusal of the caller's input (nor a cancellation) is a store error.</summary>
    private async Task<T> Run<T>(string operation, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not (TrackingException or ArgumentException or OperationCanceledException))
        {
            metrics.StoreErrors.WithLabels(operation).Inc();
            throw;
        }
    }
}
