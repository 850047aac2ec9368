using Grpc.Core;
using Arc.Hosting;
using Arc.Remote;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Worker;

/// <summary>
/// An <c>arc.Model</c> call on payload bytes, for a server whose model (and so its X and Y) changes at run time.
/// </summary>
internal interface IRawModelHandler : IAsyncDisposable
{
    /// <summary>The model's name.</summary>
    string Name { get; }

    /// <summary>Decodes <paramref name="request"/> for <paramref name="method"/> (e.g. <c>Predict</c>), calls the model, encodes the reply.</summary>
    Task<byte[]> CallAsync(string method, byte[] request, CancellationToken cancellationToken);
}

/// <summary>Creates the byte-level handler of a registered model.</summary>
internal static class RawModelHandler
{
    /// <summary>Creates the model from <paramref name="hyperparameters"/> and wraps it (<see cref="RawHandlerFactory"/>).</summary>
    public static IRawModelHandler Create(ClassRegistration registration, ReadOnlyMemory<byte> hyperparameters)
        => RawHandlerFactory.Create<IRawModelHandler>(typeof(RawModelHandler<,>), registration, hyperparameters, "model");
}

/// <summary>
/// <see cref="IRawModelHandler"/> over a <see cref="SupervisedModelHandler{X, Y}"/>: payloads are decoded and encoded by
/// the very marshallers of <see cref="ArcModelMethods{X, Y}"/>, so a develop worker speaks the same <c>arc.Model</c>
/// bytes as a regular one. Model exceptions become Arc's error trailers, as in <see cref="ArcModelService{X, Y}"/>.
/// </summary>
internal sealed class RawModelHandler<X, Y>(ISupervisedModel<X, Y> model) : IRawModelHandler
    where X : class, IArcData<X>
    where Y : class, IArcData<Y>
{
    private readonly SupervisedModelHandler<X, Y> _handler = new(model, ownsModel: true);

    public string Name => model.Name;

    public async Task<byte[]> CallAsync(string method, byte[] request, CancellationToken cancellationToken)
    {
        try
        {
            switch (method)
            {
                case "Fit":
                    var fit = RawPayloads.Decode(ArcModelMethods<X, Y>.Fit, request);
                    return RawPayloads.Encode(ArcModelMethods<X, Y>.Fit, await _handler.FitAsync(fit.Inputs, fit.Targets, cancellationToken));
                case "Predict":
                    var x = RawPayloads.Decode(ArcModelMethods<X, Y>.Predict, request);
                    return RawPayloads.Encode(ArcModelMethods<X, Y>.Predict, await _handler.PredictAsync(x, cancellationToken));
                case "SaveWeights":
                    RawPayloads.Decode(ArcModelMethods<X, Y>.SaveWeights, request);
                    return RawPayloads.Encode(ArcModelMethods<X, Y>.SaveWeights, new WeightsPayload(await _handler.SaveWeightsAsync(cancellationToken)));
                case "LoadWeights":
                    var weights = RawPayloads.Decode(ArcModelMethods<X, Y>.LoadWeights, request);
                    await _handler.LoadWeightsAsync(weights.Bytes, cancellationToken);
                    return RawPayloads.Encode(ArcModelMethods<X, Y>.LoadWeights, EmptyMessage.Instance);
                case "SaveOptimizerState":
                    RawPayloads.Decode(ArcModelMethods<X, Y>.SaveOptimizerState, request);
                    return RawPayloads.Encode(ArcModelMethods<X, Y>.SaveOptimizerState, new WeightsPayload(await _handler.SaveOptimizerStateAsync(cancellationToken)));
                case "LoadOptimizerState":
                    var state = RawPayloads.Decode(ArcModelMethods<X, Y>.LoadOptimizerState, request);
                    await _handler.LoadOptimizerStateAsync(state.Bytes, cancellationToken);
                    return RawPayloads.Encode(ArcModelMethods<X, Y>.LoadOptimizerState, EmptyMessage.Instance);
                case "Describe":
                    RawPayloads.Decode(ArcModelMethods<X, Y>.Describe, request);
                    return RawPayloads.Encode(ArcModelMethods<X, Y>.Describe, _handler.Describe());
                default:
                    throw new RpcException(new Status(StatusCode.Unimplemented, $"arc.Model has no method '{method}'"));
            }
        }
        catch (RpcException)
        {
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Cancelled, "the call was cancelled"));
        }
        catch (Exception e)
        {
            throw ServiceCalls.ToRpcException(e, includeStack: false); // the stack is in the worker's log, forwarded to its owner
        }
    }

    public ValueTask DisposeAsync() => _handler.DisposeAsync();
}
