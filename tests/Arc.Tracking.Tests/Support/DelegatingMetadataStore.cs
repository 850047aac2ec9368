using Arc.Tracking;

namespace Arc.Tracking.Tests.Support;

/// <summary>Forwards every call to <see cref="Inner"/>; tests override the calls they disturb.</summary>
internal class DelegatingMetadataStore(IMetadataStore inner) : IMetadataStore
{
    public IMetadataStore Inner { get; } = inner;

    public virtual Task<IReadOnlyList<TrackingNamespace>> ListNamespacesAsync(CancellationToken cancellationToken = default) => Inner.ListNamespacesAsync(cancellationToken);
    public virtual Task<Experiment> CreateExperimentAsync(ExperimentDraft draft, CancellationToken cancellationToken = default) => Inner.CreateExperimentAsync(draft, cancellationToken);
    public virtual Task<Experiment> GetExperimentAsync(string experimentId, CancellationToken cancellationToken = default) => Inner.GetExperimentAsync(experimentId, cancellationToken);
    public virtual Task<Experiment?> FindExperimentAsync(string @namespace, string name, CancellationToken cancellationToken = default) => Inner.FindExperimentAsync(@namespace, name, cancellationToken);
    public virtual Task<IReadOnlyList<Experiment>> ListExperimentsAsync(string? @namespace = null, CancellationToken cancellationToken = default) => Inner.ListExperimentsAsync(@namespace, cancellationToken);
    public virtual Task<Experiment> SetExperimentStatusAsync(string experimentId, ExperimentStatus status, DateTimeOffset? endedAt = null, CancellationToken cancellationToken = default) => Inner.SetExperimentStatusAsync(experimentId, status, endedAt, cancellationToken);
    public virtual Task<MetricBatchOutcome> LogMetricsAsync(MetricBatch batch, CancellationToken cancellationToken = default) => Inner.LogMetricsAsync(batch, cancellationToken);
    public virtual Task<IReadOnlyList<MetricPoint>> ReadMetricAsync(string experimentId, string key, long? fromStep = null, long? toStep = null, CancellationToken cancellationToken = default) => Inner.ReadMetricAsync(experimentId, key, fromStep, toStep, cancellationToken);
    public virtual Task<IReadOnlyList<MetricPoint>> ReadLatestMetricsAsync(string experimentId, CancellationToken cancellationToken = default) => Inner.ReadLatestMetricsAsync(experimentId, cancellationToken);
    public virtual Task<Checkpoint> CreateCheckpointAsync(CheckpointDraft draft, CancellationToken cancellationToken = default) => Inner.CreateCheckpointAsync(draft, cancellationToken);
    public virtual Task<Checkpoint> GetCheckpointAsync(string checkpointId, CancellationToken cancellationToken = default) => Inner.GetCheckpointAsync(checkpointId, cancellationToken);
    public virtual Task<IReadOnlyList<Checkpoint>> ListCheckpointsAsync(string experimentId, CancellationToken cancellationToken = default) => Inner.ListCheckpointsAsync(experimentId, cancellationToken);
    public virtual Task<RegisteredModel> CreateModelAsync(RegisteredModelDraft draft, CancellationToken cancellationToken = default) => Inner.CreateModelAsync(draft, cancellationToken);
    public virtual Task<RegisteredModel> GetModelAsync(string modelId, CancellationToken cancellationToken = default) => Inner.GetModelAsync(modelId, cancellationToken);
    public virtual Task<RegisteredModel?> FindModelAsync(string @namespace, string name, CancellationToken cancellationToken = default) => Inner.FindModelAsync(@namespace, name, cancellationToken);
    public virtual Task<IReadOnlyList<RegisteredModel>> ListModelsAsync(string? @namespace = null, CancellationToken cancellationToken = default) => Inner.ListModelsAsync(@namespace, cancellationToken);
    public virtual Task<ModelVersion> CreateModelVersionAsync(ModelVersionDraft draft, CancellationToken cancellationToken = default) => Inner.CreateModelVersionAsync(draft, cancellationToken);
    public virtual Task<ModelVersion> GetModelVersionAsync(string versionId, CancellationToken cancellationToken = default) => Inner.GetModelVersionAsync(versionId, cancellationToken);
    public virtual Task<ModelVersion?> FindModelVersionAsync(string modelId, int version, CancellationToken cancellationToken = default) => Inner.FindModelVersionAsync(modelId, version, cancellationToken);
    public virtual Task<IReadOnlyList<ModelVersion>> ListModelVersionsAsync(string modelId, CancellationToken cancellationToken = default) => Inner.ListModelVersionsAsync(modelId, cancellationToken);
    public virtual Task SetLabelAsync(LabelTarget target, string key, string value, CancellationToken cancellationToken = default) => Inner.SetLabelAsync(target, key, value, cancellationToken);
    public virtual Task RemoveLabelAsync(LabelTarget target, string key, CancellationToken cancellationToken = default) => Inner.RemoveLabelAsync(target, key, cancellationToken);
    public virtual Task<AttachedFile> AttachFileAsync(FileOwner owner, FileRef file, CancellationToken cancellationToken = default) => Inner.AttachFileAsync(owner, file, cancellationToken);
    public virtual Task<IReadOnlyList<AttachedFile>> ListFilesAsync(FileOwner owner, CancellationToken cancellationToken = default) => Inner.ListFilesAsync(owner, cancellationToken);
    public virtual Task<IReadOnlyList<TrackingEvent>> ReadEventsAsync(EventQuery query, CancellationToken cancellationToken = default) => Inner.ReadEventsAsync(query, cancellationToken);

    public virtual ValueTask DisposeAsync() => Inner.DisposeAsync();
}
