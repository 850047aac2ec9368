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
    private static Need OfVersion(TrackingAccess access, string id) => new(access, (r, c) => r.OfModelVersionAsync(TrackingNames.Id(id, "id", "model version id"), c));

    /// <summary>The namespace of a label target or file owner: an experiment, a model or a model version.</summary>
    private static Need OfObject(TrackingAccess access, ObjectRefMessage? target, string field) => target?.Kind switch
    {
        ObjectKindCode.Experiment => OfExperiment(access, target.Id),
        ObjectKindCode.Model => OfModel(access, target.Id),
        ObjectKindCode.ModelVersion => OfVersion(access, target.Id),
        _ => throw new ArgumentException($"{field} must name an experiment, a model or a model version", field),
    };

    /// <summary>
    /// Reading events of every namespace needs read on every namespace (<c>"*"</c>); anyone else names a namespace. (Cutting
    /// a page of events to the caller's namespaces would return short or empty pages that look like the end of the log.)
    /// </summary>
    private static Need Events(bool hasNamespace, string space) => hasNamespace
        ? In(TrackingAccess.Read, space)
        : new Need(TrackingAccess.Read, (_, _) => ValueTask.FromResult(TrackingToken.AnyNamespace));

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
        CreateModelVersionRequest r => OfModel(TrackingAccess.Write, r.ModelId),
        GetModelVersionRequest r => OfVersion(TrackingAccess.Read, r.Id),
        FindModelVersionRequest r => OfModel(TrackingAccess.Read, r.ModelId),
        ListModelVersionsRequest r => OfModel(TrackingAccess.Read, r.ModelId),
        SetLabelRequest r => OfObject(TrackingAccess.Write, r.Target, "target"),
        RemoveLabelRequest r => OfObject(TrackingAccess.Write, r.Target, "target"),
        AttachFileRequest r => OfObject(TrackingAccess.Write, r.Owner, "owner"),
        ListFilesRequest r => OfObject(TrackingAccess.Read, r.Owner, "owner"),
        DownloadFileRequest r => OfObject(TrackingAccess.Read, r.Owner, "owner"),
        // An upload is checked on its first message, which must be the header that names the owner.
        UploadFileRequest { PartCase: UploadFileRequest.PartOneofCase.Header } r => OfObject(TrackingAccess.Write, r.Header.Owner, "header.owner"),
        UploadFileRequest => throw new ArgumentException("an upload starts with its header (owner, name, size)"),
        ReadEventsRequest r => Events(r.HasNamespace, r.Namespace),
        WatchEventsRequest r => Events(r.HasNamespace, r.Namespace),
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
