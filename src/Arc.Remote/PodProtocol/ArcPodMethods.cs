using Grpc.Core;

namespace Arc.Remote;

/// <summary>
/// The gRPC method descriptors of Arc's pod service: <c>/arc.Pod/Invoke</c> and <c>/arc.Pod/Describe</c>, both unary,
/// every payload MessagePack (see <see cref="ArcPodMarshallers"/>). One worker serves any number of pods by name.
/// </summary>
public static class ArcPodMethods
{
    /// <summary>The gRPC service name: methods live under <c>/arc.Pod/</c>.</summary>
    public const string ServiceName = "arc.Pod";

    /// <summary>Request <c>{"pod", "arguments"}</c>, reply <c>{"result"}</c>.</summary>
    public static Method<PodInvokeRequest, PodInvokeReply> Invoke { get; } =
        new(MethodType.Unary, ServiceName, "Invoke", ArcPodMarshallers.InvokeRequest, ArcPodMarshallers.InvokeReply);

    /// <summary>Request nil, reply <c>{"pods": [...]}</c>.</summary>
    public static Method<EmptyMessage, PodCatalog> Describe { get; } =
        new(MethodType.Unary, ServiceName, "Describe", ArcMarshallers.Empty, ArcPodMarshallers.Catalog);
}
