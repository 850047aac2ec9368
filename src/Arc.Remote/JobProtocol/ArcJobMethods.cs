using Grpc.Core;
using Arc.Types;

namespace Arc.Remote;

/// <summary>
/// The gRPC method descriptors of Arc's job service: <c>/arc.Job/Stream</c> (server streaming),
/// <c>/arc.Job/Sample</c> and <c>/arc.Job/Describe</c> (unary); every payload MessagePack (see <see cref="ArcJobMarshallers"/>).
/// </summary>
public static class ArcJobMethods<X, Y> where X : class, IArcData<X> where Y : class, IArcData<Y>
{
    /// <summary>The gRPC service name: methods live under <c>/arc.Job/</c>.</summary>
    public const string ServiceName = "arc.Job";

    /// <summary>Request <c>{"batch_size", "split", "shuffle_seed"}</c>, a stream of <c>{"x": X, "y": Y}</c>.</summary>
    public static Method<JobStreamRequest, JobBatch<X, Y>> Stream { get; } =
        new(MethodType.ServerStreaming, ServiceName, "Stream", ArcJobMarshallers.StreamRequest, ArcJobMarshallers.Batch<X, Y>());

    /// <summary>Request <c>{"count", "split", "seed"}</c>, reply <c>{"x": X, "y": Y}</c>.</summary>
    public static Method<JobSampleRequest, JobBatch<X, Y>> Sample { get; } =
        new(MethodType.Unary, ServiceName, "Sample", ArcJobMarshallers.SampleRequest, ArcJobMarshallers.Batch<X, Y>());

    /// <summary>Request nil, reply <c>{"name", "x", "y"}</c>.</summary>
    public static Method<EmptyMessage, JobDescription> Describe { get; } =
        new(MethodType.Unary, ServiceName, "Describe", ArcMarshallers.Empty, ArcJobMarshallers.Description);
}
