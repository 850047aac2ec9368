using Grpc.Core;
using Microsoft.Extensions.Hosting;

namespace Arc.Tracking.Server;

/// <summary>
/// <c>arc.tracking.v1.TrackingService</c> over one <see cref="IMetadataStore"/>: each call turns its request into the
/// records (whose checks reject a malformed field), calls the store and turns the answer back; the wire mapping lives in
/// <c>Arc.Tracking/Wire</c>, shared with the client. A refusal ends the call with its status (<see cref="TrackingCalls"/>).
/// Each call that changes something tells <see cref="EventSignal"/>, so that watches read its event at once.
/// </summary>
internal sealed partial class TrackingGrpcService(IMetadataStore store, TrackingBlobs blobs, EventSignal changes, TrackingServerOptions options,
    IHostApplicationLifetime lifetime)
    : TrackingService.TrackingServiceBase
{
    public override Task<ListNamespacesReply> ListNamespaces(ListNamespacesRequest request, ServerCallContext context)
        => TrackingCalls.RunAsync(async () =>
        {
            var reply = new ListNamespacesReply();
            foreach (var space in await store.ListNamespacesAsync(context.CancellationToken).ConfigureAwait(false))
                reply.Namespaces.Add(new NamespaceMessage { Name = space.Name, CreatedAtUnixMicros = WireTime.ToMicros(space.CreatedAt) });
            return reply;
        });

    public override Task<ExperimentMessage> CreateExperiment(CreateExperimentRequest request, ServerCallContext context)
        => ChangeAsync(async () => ExperimentWire.ToMessage(
            await store.CreateExperimentAsync(ExperimentWire.ToDraft(request), context.CancellationToken).ConfigureAwait(false)));

    public override Task<ExperimentMessage> GetExperiment(GetExperimentRequest request, ServerCallContext context)
        => TrackingCalls.RunAsync(async () => ExperimentWire.ToMessage(
            await store.GetExperimentAsync(TrackingNames.Id(request.Id, "id", "experiment id"), context.CancellationToken).ConfigureAwait(false)));

    public override Task<FindExperimentReply> FindExperiment(FindExperimentRequest request, ServerCallContext context)
        => TrackingCalls.RunAsync(async () =>
        {
            var found = await store.FindExperimentAsync(
                TrackingNames.Namespace(request.Namespace, "namespace"),
                TrackingNames.Name(request.Name, "name", "experiment name"),
                context.CancellationToken).ConfigureAwait(false);
            return new FindExperimentReply { Experiment = found is null ? null : ExperimentWire.ToMessage(found) };
        });

    public override Task<ListExperimentsReply> ListExperiments(ListExperimentsRequest request, ServerCallContext context)
        => TrackingCalls.RunAsync(async () =>
        {
            string? space = request.HasNamespace ? TrackingNames.Namespace(request.Namespace, "namespace") : null;
            var reply = new ListExperimentsReply();
            foreach (var experiment in await store.ListExperimentsAsync(space, context.CancellationToken).ConfigureAwait(false))
                reply.Experiments.Add(ExperimentWire.ToMessage(experiment));
            return reply;
        });

    public override Task<ExperimentMessage> SetExperimentStatus(SetExperimentStatusRequest request, ServerCallContext context)
        => ChangeAsync(async () => ExperimentWire.ToMessage(await store.SetExperimentStatusAsync(
            TrackingNames.Id(request.Id, "id", "experiment id"),
            ExperimentWire.ToStatus(request.Status, "status"),
            request.HasEndedAtUnixMicros ? WireTime.FromMicros(request.EndedAtUnixMicros, "ended_at_unix_micros") : null,
            context.CancellationToken).ConfigureAwait(false)));

    public override Task<LogMetricsReply> LogMetrics(LogMetricsRequest request, ServerCallContext context)
        => TrackingCalls.RunAsync(async () => MetricWire.ToReply(
            await store.LogMetricsAsync(MetricWire.ToBatch(request), context.CancellationToken).ConfigureAwait(false)));

    public override Task<MetricPointsReply> ReadMetric(ReadMetricRequest request, ServerCallContext context)
        => TrackingCalls.RunAsync(async () => MetricWire.ToReply(await store.ReadMetricAsync(
            TrackingNames.Id(request.ExperimentId, "experiment_id", "experiment id"),
            TrackingNames.Key(request.Key, "key", "metric key"),
            request.HasFromStep ? request.FromStep : null,
            request.HasToStep ? request.ToStep : null,
            context.CancellationToken).ConfigureAwait(false)));

    public override Task ReadMetricPages(ReadMetricRequest request, IServerStreamWriter<MetricPage> responseStream, ServerCallContext context)
        => TrackingCalls.RunAsync(async () =>
        {
            string id = TrackingNames.Id(request.ExperimentId, "experiment_id", "experiment id");
            string key = TrackingNames.Key(request.Key, "key", "metric key");
            long? from = request.HasFromStep ? request.FromStep : null, to = request.HasToStep ? request.ToStep : null;
            // Each page goes out as the store reads it: the database reads the next rows while this page crosses the
            // connection and the client decodes it.
            var pages = store is IMetricPageSource source
                ? source.ReadMetricPagesAsync(id, key, from, to, MetricPageWire.PagePoints, context.CancellationToken)
                : WholeSeriesAsync(id, key, from, to, context.CancellationToken);
            await foreach (var page in pages.ConfigureAwait(false))
                await responseStream.WriteAsync(MetricPageWire.ToPage(page, 0, page.Count), context.CancellationToken).ConfigureAwait(false);
        });

    private async IAsyncEnumerable<IReadOnlyList<MetricPoint>> WholeSeriesAsync(string id, string key, long? from, long? to,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var points = await store.ReadMetricAsync(id, key, from, to, cancellationToken).ConfigureAwait(false);
        foreach (var page in points.Chunk(MetricPageWire.PagePoints)) yield return page;
    }

    public override Task<MetricPointsReply> ReadLatestMetrics(ReadLatestMetricsRequest request, ServerCallContext context)
        => TrackingCalls.RunAsync(async () => MetricWire.ToReply(await store.ReadLatestMetricsAsync(
            TrackingNames.Id(request.ExperimentId, "experiment_id", "experiment id"), context.CancellationToken).ConfigureAwait(false)));

    public override Task<CheckpointMessage> CreateCheckpoint(CreateCheckpointRequest request, ServerCallContext context)
        => ChangeAsync(async () => CheckpointWire.ToMessage(
            await store.CreateCheckpointAsync(CheckpointWire.ToDraft(request), context.CancellationToken).ConfigureAwait(false)));

    public override Task<CheckpointMessage> GetCheckpoint(GetCheckpointRequest request, ServerCallContext context)
        => TrackingCalls.RunAsync(async () => CheckpointWire.ToMessage(
            await store.GetCheckpointAsync(TrackingNames.Id(request.Id, "id", "checkpoint id"), context.CancellationToken).ConfigureAwait(false)));

    public override Task<ListCheckpointsReply> ListCheckpoints(ListCheckpointsRequest request, ServerCallContext context)
        => TrackingCalls.RunAsync(async () =>
        {
            var reply = new ListCheckpointsReply();
            foreach (var checkpoint in await store.ListCheckpointsAsync(
                         TrackingNames.Id(request.ExperimentId, "experiment_id", "experiment id"), context.CancellationToken).ConfigureAwait(false))
                reply.Checkpoints.Add(CheckpointWire.ToMessage(checkpoint));
            return reply;
        });

    public override Task<ModelMessage> CreateModel(CreateModelRequest request, ServerCallContext context)
        => ChangeAsync(async () => ModelWire.ToMessage(
            await store.CreateModelAsync(ModelWire.ToDraft(request), context.CancellationToken).ConfigureAwait(false)));

    public override Task<ModelMessage> GetModel(GetModelRequest request, ServerCallContext context)
        => TrackingCalls.RunAsync(async () => ModelWire.ToMessage(
            await store.GetModelAsync(TrackingNames.Id(request.Id, "id", "model id"), context.CancellationToken).ConfigureAwait(false)));

    public override Task<FindModelReply> FindModel(FindModelRequest request, ServerCallContext context)
        => TrackingCalls.RunAsync(async () =>
        {
            var found = await store.FindModelAsync(
                TrackingNames.Namespace(request.Namespace, "namespace"),
                TrackingNames.Name(request.Name, "name", "model name"),
                context.CancellationToken).ConfigureAwait(false);
            return new FindModelReply { Model = found is null ? null : ModelWire.ToMessage(found) };
        });

    public override Task<ListModelsReply> ListModels(ListModelsRequest request, ServerCallContext context)
        => TrackingCalls.RunAsync(async () =>
        {
            string? space = request.HasNamespace ? TrackingNames.Namespace(request.Namespace, "namespace") : null;
            var reply = new ListModelsReply();
            foreach (var model in await store.ListModelsAsync(space, context.CancellationToken).ConfigureAwait(false))
                reply.Models.Add(ModelWire.ToMessage(model));
            return reply;
        });

    /// <summary>Runs a call that changes something, then wakes the watches so they read its event without waiting for their poll.</summary>
    private async Task<T> ChangeAsync<T>(Func<Task<T>> call)
    {
        var result = await TrackingCalls.RunAsync(call).ConfigureAwait(false);
        changes.Notify();
        return result;
    }
}
