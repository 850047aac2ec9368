using Grpc.Core;
using Arc.Types;

namespace Arc.Remote;

/// <summary>The name of the model service: its methods live under <c>/arc.Model/</c>.</summary>
public static class ArcModelMethods
{
    /// <summary>The gRPC service name.</summary>
    public const string ServiceName = "arc.Model";
}

/// <summary>
/// The gRPC method descriptors of Arc's model service. Paths are fixed and part of the protocol (a Python or
/// other client calls the same ones): <c>/arc.Model/Fit</c>, <c>/arc.Model/Predict</c>,
/// <c>/arc.Model/SaveWeights</c>, <c>/arc.Model/LoadWeights</c>, <c>/arc.Model/SaveOptimizerState</c>,
/// <c>/arc.Model/LoadOptimizerState</c>, <c>/arc.Model/Describe</c>, all unary, and
/// <c>/arc.Model/FitStream</c> and <c>/arc.Model/FitStreamShared</c>, bidirectional streaming; every payload MessagePack (see <see cref="ArcMarshallers"/>).
/// </summary>
public static class ArcModelMethods<X, Y> where X : class, IArcData<X> where Y : class, IArcData<Y>
{
    /// <summary>Request <c>{"x": X, "y": Y}</c>, reply <c>{"loss": double, "samples": int}</c>.</summary>
    public static Method<FitRequest<X, Y>, FitReply> Fit { get; } =
        new(MethodType.Unary, ArcModelMethods.ServiceName, "Fit", ArcMarshallers.Fit<X, Y>(), ArcMarshallers.FitReply);

    /// <summary>
    /// Pipelined fitting: the client streams <c>Fit</c> requests, the worker fits them in arrival order and answers
    /// each with one <c>Fit</c> reply, so the client can send batch n+1 while the worker fits batch n.
    /// </summary>
    public static Method<FitRequest<X, Y>, FitReply> FitStream { get; } =
        new(MethodType.DuplexStreaming, ArcModelMethods.ServiceName, "FitStream", ArcMarshallers.Fit<X, Y>(), ArcMarshallers.FitReply);

    /// <summary>
    /// <see cref="FitStream"/> for a worker on the client's machine: each request is a batch inline or its place in a
    /// file of the directory the <c>arc-shared-batches</c> header names (<see cref="SharedFitRequest{X, Y}"/>), so large
    /// batches skip the socket. Replies as <see cref="FitStream"/>'s.
    /// </summary>
    public static Method<SharedFitRequest<X, Y>, FitReply> FitStreamShared { get; } =
        new(MethodType.DuplexStreaming, ArcModelMethods.ServiceName, "FitStreamShared", ArcMarshallers.SharedFit<X, Y>(), ArcMarshallers.FitReply);

    /// <summary>Request X in its wire form, reply Y in its wire form.</summary>
    public static Method<X, Y> Predict { get; } =
        new(MethodType.Unary, ArcModelMethods.ServiceName, "Predict", ArcMarshallers.For<X>(), ArcMarshallers.For<Y>());

    /// <summary>Request nil, reply a bin.</summary>
    public static Method<EmptyMessage, WeightsPayload> SaveWeights { get; } =
        new(MethodType.Unary, ArcModelMethods.ServiceName, "SaveWeights", ArcMarshallers.Empty, ArcMarshallers.Weights);

    /// <summary>Request a bin, reply nil.</summary>
    public static Method<WeightsPayload, EmptyMessage> LoadWeights { get; } =
        new(MethodType.Unary, ArcModelMethods.ServiceName, "LoadWeights", ArcMarshallers.Weights, ArcMarshallers.Empty);

    /// <summary>Request nil, reply a bin: the optimizer's state, empty when the model has none.</summary>
    public static Method<EmptyMessage, WeightsPayload> SaveOptimizerState { get; } =
        new(MethodType.Unary, ArcModelMethods.ServiceName, "SaveOptimizerState", ArcMarshallers.Empty, ArcMarshallers.Weights);

    /// <summary>Request a bin from <see cref="SaveOptimizerState"/>, reply nil.</summary>
    public static Method<WeightsPayload, EmptyMessage> LoadOptimizerState { get; } =
        new(MethodType.Unary, ArcModelMethods.ServiceName, "LoadOptimizerState", ArcMarshallers.Weights, ArcMarshallers.Empty);

    /// <summary>Request nil, reply <c>{"name", "x", "y"}</c>.</summary>
    public static Method<EmptyMessage, ModelDescription> Describe { get; } =
        new(MethodType.Unary, ArcModelMethods.ServiceName, "Describe", ArcMarshallers.Empty, ArcMarshallers.Description);
}
