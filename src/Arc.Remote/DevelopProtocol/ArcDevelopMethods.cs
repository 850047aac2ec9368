using Grpc.Core;

namespace Arc.Remote;

/// <summary>
/// The gRPC method descriptors of a develop-mode worker's <c>arc.Develop</c> service (hot reload), all unary with
/// MessagePack payloads (<see cref="ArcDevelopMarshallers"/>): <c>Missing</c> (which digests the worker lacks),
/// <c>PutBlob</c> (store one file, checked against its digest), <c>Reload</c> (serve new code) and <c>Status</c>.
/// See docs/develop-mode.md.
/// </summary>
public static class ArcDevelopMethods
{
    /// <summary>The gRPC service name: methods live under <c>/arc.Develop/</c>.</summary>
    public const string ServiceName = "arc.Develop";

    /// <summary>Request <c>{"digests": [str]}</c>, reply <c>{"digests": [str]}</c>: those of the request the worker does not hold.</summary>
    public static Method<BlobDigests, BlobDigests> Missing { get; } =
        new(MethodType.Unary, ServiceName, "Missing", ArcDevelopMarshallers.Digests, ArcDevelopMarshallers.Digests);

    /// <summary>Request <c>{"digest", "bytes"}</c>, reply nil.</summary>
    public static Method<BlobUpload, EmptyMessage> PutBlob { get; } =
        new(MethodType.Unary, ServiceName, "PutBlob", ArcDevelopMarshallers.Upload, ArcMarshallers.Empty);

    /// <summary>Request <c>{"assembly", "files", "model", "hyperparameters"}</c>, reply the status after the reload.</summary>
    public static Method<ReloadRequest, DevelopStatus> Reload { get; } =
        new(MethodType.Unary, ServiceName, "Reload", ArcDevelopMarshallers.Reload, ArcDevelopMarshallers.Status);

    /// <summary>Request nil, reply <c>{"version", "state", "model", "error", "unloading", "shared"}</c>.</summary>
    public static Method<EmptyMessage, DevelopStatus> Status { get; } =
        new(MethodType.Unary, ServiceName, "Status", ArcMarshallers.Empty, ArcDevelopMarshallers.Status);
}
