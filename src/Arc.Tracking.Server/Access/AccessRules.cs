namespace Arc.Tracking.Server;

/// <summary>
/// What each call of the tracking service needs: the namespace it touches (named in the request, or found from the id it
/// names) and whether it reads or writes there. A list that spans namespaces needs no grant up front; its reply is cut
/// to the namespaces the caller may read (<see cref="FilterReply"/>). A request type with no rule here is refused, so a
/// call added to the service is closed until its rule is written.
/// </summary>
internal static class AccessRules
{
    /// <summary>A call's need: <see cref="TrackingAccess"/> in the namespace <see cref="Namespace"/> finds (none: a cross-namespace list).</summary>
    public sealed record Need(TrackingAccess Access, Func<NamespaceResolver, CancellationToken, ValueTask<string>>? Namespace);

    private static Need In(TrackingAccess access, string space) => new(access, (_, _) => ValueTask.FromResult(TrackingNames.Namespace(space, "namespace")));
    private static Need OfExperiment(TrackingAccess access, string id) => new(access, (r, c) => r.OfExperimentAsync(TrackingNames.Id(id, "experiment_id", "experiment id"), c));
    private static Need OfCheckpoint(TrackingAccess access, string id) => new(access, (r, c) => r.OfCheckpointAsync(TrackingNames.Id(id, "id", "checkpoint id"), c));
    private static Need OfModel(TrackingAccess access, string id) => new(access, (r, c) => r.OfModelAsync(TrackingNames.Id(id, "model_id", "model id"), c));

    /// <summary>The need of <paramref name="request"/>, or null when no rule covers its type.</summary>
    public static Need? For(object request) => request switch
    {
        ListNamespacesRequest => new Need(TrackingAccess.Read, null),
        CreateExperimentRequest r => In(TrackingAccess.Write, r.Namespace),
        GetExperimentRequest r => OfExperiment(TrackingAccess.Read, r.Id),
        FindExperimentRequest r => In(TrackingAccess.Read, r.Namespace),
        ListExperimentsRequest r => r.HasNamespace ? In(TrackingAccess.Read, r.Namespace) : new Need(TrackingAccess.Read, null),
        SetExperimentStatusRequest r => OfExperiment(TrackingAccess.Write, r.Id),
        LogMetricsRequest r => OfExperiment(TrackingAccess.Write, r.ExperimentId),
        ReadMetricRequest r => OfExperiment(TrackingAccess.Read, r.ExperimentId),
        ReadLatestMetricsRequest r => OfExperiment(TrackingAccess.Read, r.ExperimentId),
        CreateCheckpointRequest r => OfExperiment(TrackingAccess.Write, r.ExperimentId),
        GetCheckpointRequest r => OfCheckpoint(TrackingAccess.Read, r.Id),
        ListCheckpointsRequest r => OfExperiment(TrackingAccess.Read, r.ExperimentId),
        CreateModelRequest r => In(TrackingAccess.Write, r.Namespace),
        GetModelRequest r => OfModel(TrackingAccess.Read, r.Id),
        FindModelRequest r => In(TrackingAccess.Read, r.Namespace),
        ListModelsRequest r => r.HasNamespace ? In(TrackingAccess.Read, r.Namespace) : new Need(TrackingAccess.Read, null),
        _ => null,
    };

    /// <summary>Removes from a cross-namespace list what <paramref name="caller"/> may not read; other replies pass as they are.</summary>
    public static void FilterReply(object reply, TrackingToken caller)
    {
        switch (reply)
        {
            case ListNamespacesReply r:
                RemoveWhere(r.Namespaces, n => !caller.Allows(n.Name, TrackingAccess.Read));
                break;
            case ListExperimentsReply r:
                RemoveWhere(r.Experiments, e => !caller.Allows(e.Namespace, TrackingAccess.Read));
                break;
            case ListModelsReply r:
                RemoveWhere(r.Models, m => !caller.Allows(m.Namespace, TrackingAccess.Read));
                break;
        }
    }

    private static void RemoveWhere<T>(Google.Protobuf.Collections.RepeatedField<T> items, Func<T, bool> hidden)
    {
        for (int i = items.Count - 1; i >= 0; i--)
            if (hidden(items[i])) items.RemoveAt(i);
    }
}
