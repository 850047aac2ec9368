using Grpc.Core;

namespace Arc.Tracking.Server;

// Model versions and labels.
internal sealed partial class TrackingGrpcService
{
    public override Task<ModelVersionMessage> CreateModelVersion(CreateModelVersionRequest request, ServerCallContext context)
        => ChangeAsync(async () => VersionWire.ToMessage(
            await store.CreateModelVersionAsync(VersionWire.ToDraft(request), context.CancellationToken).ConfigureAwait(false)));

    public override Task<ModelVersionMessage> GetModelVersion(GetModelVersionRequest request, ServerCallContext context)
        => TrackingCalls.RunAsync(async () => VersionWire.ToMessage(
            await store.GetModelVersionAsync(TrackingNames.Id(request.Id, "id", "model version id"), context.CancellationToken).ConfigureAwait(false)));

    public override Task<FindModelVersionReply> FindModelVersion(FindModelVersionRequest request, ServerCallContext context)
        => TrackingCalls.RunAsync(async () =>
        {
            var found = await store.FindModelVersionAsync(TrackingNames.Id(request.ModelId, "model_id", "model id"), request.Version, context.CancellationToken)
                .ConfigureAwait(false);
            return new FindModelVersionReply { Version = found is null ? null : VersionWire.ToMessage(found) };
        });

    public override Task<ListModelVersionsReply> ListModelVersions(ListModelVersionsRequest request, ServerCallContext context)
        => TrackingCalls.RunAsync(async () =>
        {
            var reply = new ListModelVersionsReply();
            foreach (var version in await store.ListModelVersionsAsync(TrackingNames.Id(request.ModelId, "model_id", "model id"), context.CancellationToken)
                         .ConfigureAwait(false))
                reply.Versions.Add(VersionWire.ToMessage(version));
            return reply;
        });

    public override Task<SetLabelReply> SetLabel(SetLabelRequest request, ServerCallContext context)
        => ChangeAsync(async () =>
        {
            await store.SetLabelAsync(FileWire.ToTarget(request.Target), request.Key, request.Value, context.CancellationToken).ConfigureAwait(false);
            return new SetLabelReply();
        });

    public override Task<RemoveLabelReply> RemoveLabel(RemoveLabelRequest request, ServerCallContext context)
        => ChangeAsync(async () =>
        {
            await store.RemoveLabelAsync(FileWire.ToTarget(request.Target), request.Key, context.CancellationToken).ConfigureAwait(false);
            return new RemoveLabelReply();
        });
}
