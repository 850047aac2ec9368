using Arc.Types;
using Grpc.Core;

namespace Arc.Remote;

/// <summary>Names shared by every model service.</summary>
public static class ArcModelService
{
    /// <summary>The gRPC service name: methods live under <c>/arc.Model/</c>.</summary>
    public const string Name = "arc.Model";
}

/// <summary>
/// The worker side of <c>arc.Model</c> for one model: decodes nothing itself (the marshallers did), calls the
/// handler with the call's cancellation token, and turns the handler's exceptions into <see cref="RpcException"/>
/// with the remote exception's type, message and stack in trailers (<see cref="RemoteErrorTrailers"/>).
/// </summary>
public sealed class ArcModelService<X, Y> where X : class, IArcData<X> where Y : class, IArcData<Y>
{
    private readonly IRemoteModelHandler<X, Y> _handler;

    /// <summary>Serves <paramref name="handler"/>.</summary>
    public ArcModelService(IRemoteModelHandler<X, Y> handler) => _handler = handler ?? throw new ArgumentNullException(nameof(handler));

    internal Task<FitReply> Fit(FitRequest<X, Y> request, ServerCallContext context)
        => Guard(context, async ct => await _handler.FitAsync(request.Inputs, request.Targets, ct));

    internal Task<Y> Predict(X request, ServerCallContext context)
        => Guard(context, async ct => await _handler.PredictAsync(request, ct));

    internal Task<WeightsPayload> SaveWeights(EmptyMessage request, ServerCallContext context)
        => Guard(context, async ct => new WeightsPayload(await _handler.SaveWeightsAsync(ct)));

    internal Task<EmptyMessage> LoadWeights(WeightsPayload request, ServerCallContext context)
        => Guard(context, async ct => { await _handler.LoadWeightsAsync(request.Bytes, ct); return EmptyMessage.Instance; });

    internal Task<ModelDescription> Describe(EmptyMessage request, ServerCallContext context)
        => Guard(context, _ => Task.FromResult(_handler.Describe()));

    internal static Task<T> Guard<T>(ServerCallContext context, Func<CancellationToken, Task<T>> call) => ServiceCalls.Guard(context, call);
}
