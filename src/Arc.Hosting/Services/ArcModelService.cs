using Grpc.AspNetCore.Server.Model;
using Microsoft.Extensions.DependencyInjection;
using Grpc.Core;
using Arc.Remote;
using Arc.Types;

namespace Arc.Hosting;

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

    /// <summary>Binds <c>arc.Model</c>'s descriptors (<see cref="ArcModelMethods{X, Y}"/>) to this service's methods.</summary>
    internal static void Bind(ServiceMethodProviderContext<ArcModelService<X, Y>> context)
    {
        var none = Array.Empty<object>();
        context.AddUnaryMethod(ArcModelMethods<X, Y>.Fit, none, (service, request, call) => service.Fit(request, call));
        context.AddDuplexStreamingMethod(ArcModelMethods<X, Y>.FitStream, none,
            (service, requests, replies, call) => service.FitStream(requests, replies, call));
        context.AddDuplexStreamingMethod(ArcModelMethods<X, Y>.FitStreamShared, none,
            (service, requests, replies, call) => service.FitStreamShared(requests, replies, call));
        context.AddUnaryMethod(ArcModelMethods<X, Y>.Predict, none, (service, request, call) => service.Predict(request, call));
        context.AddUnaryMethod(ArcModelMethods<X, Y>.SaveWeights, none, (service, request, call) => service.SaveWeights(request, call));
        context.AddUnaryMethod(ArcModelMethods<X, Y>.LoadWeights, none, (service, request, call) => service.LoadWeights(request, call));
        context.AddUnaryMethod(ArcModelMethods<X, Y>.SaveOptimizerState, none, (service, request, call) => service.SaveOptimizerState(request, call));
        context.AddUnaryMethod(ArcModelMethods<X, Y>.LoadOptimizerState, none, (service, request, call) => service.LoadOptimizerState(request, call));
        context.AddUnaryMethod(ArcModelMethods<X, Y>.Describe, none, (service, request, call) => service.Describe(request, call));
    }

    internal Task<FitReply> Fit(FitRequest<X, Y> request, ServerCallContext context)
        => ServiceCalls.Guard(context, async ct => await _handler.FitAsync(request.Inputs, request.Targets, ct).ConfigureAwait(false));

    /// <summary>
    /// Fits the requests in arrival order, one reply each. A malformed request ends the call with
    /// <see cref="StatusCode.InvalidArgument"/> (the marshaller's error), a model exception like <c>Fit</c>'s; the
    /// replies already written stay valid. The next request is read only after the previous reply is written, but
    /// HTTP/2 keeps buffering what the client sends meanwhile, which is where the overlap comes from.
    /// </summary>
    internal Task FitStream(IAsyncStreamReader<FitRequest<X, Y>> requests, IServerStreamWriter<FitReply> replies, ServerCallContext context)
        => ServiceCalls.Guard(context, async ct =>
        {
            await foreach (var reply in _handler.FitStreamAsync(ReadAll(requests, ct), ct).WithCancellation(ct).ConfigureAwait(false))
                await replies.WriteAsync(reply, ct).ConfigureAwait(false);
            return true;
        });

    private static async IAsyncEnumerable<(X Inputs, Y Targets)> ReadAll(IAsyncStreamReader<FitRequest<X, Y>> requests,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        while (await requests.MoveNext(ct).ConfigureAwait(false))
            yield return (requests.Current.Inputs, requests.Current.Targets);
    }

    /// <summary>
    /// <see cref="FitStream"/> with batches in the files of the directory the <c>arc-shared-batches</c> header names
    /// (or inline). A batch is read from its file and decoded only when the handler asks for it, after the previous fit,
    /// exactly where <see cref="FitStream"/> decodes; a directory or file that is not the caller's own, a batch over the
    /// worker's message limit or one that does not decode ends the call with a status and the worker keeps serving.
    /// </summary>
    internal Task FitStreamShared(IAsyncStreamReader<SharedFitRequest<X, Y>> requests, IServerStreamWriter<FitReply> replies, ServerCallContext context)
        => ServiceCalls.Guard(context, async ct =>
        {
            int maxBytes = context.GetHttpContext().RequestServices.GetService<ArcWorkerOptions>()?.MaxReceiveMessageBytes
                ?? ArcWorkerOptions.DefaultMaxMessageBytes;
            using var files = SharedBatchReader.Open(context.RequestHeaders.GetValue(SharedBatchFiles.Header), maxBytes);
            await foreach (var reply in _handler.FitStreamAsync(ReadAll(requests, files, ct), ct).WithCancellation(ct).ConfigureAwait(false))
                await replies.WriteAsync(reply, ct).ConfigureAwait(false);
            return true;
        });

    private static async IAsyncEnumerable<(X Inputs, Y Targets)> ReadAll(IAsyncStreamReader<SharedFitRequest<X, Y>> requests,
        SharedBatchReader? files, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        while (await requests.MoveNext(ct).ConfigureAwait(false))
        {
            var request = requests.Current;
            if (request.Inline is { } batch)
                yield return (batch.Inputs, batch.Targets);
            else if (files is null)
                throw new RpcException(new Status(StatusCode.InvalidArgument,
                    $"a batch in shared file {request.Slot}, but the call named no directory (header '{SharedBatchFiles.Header}')"));
            else
                yield return files.Read<X, Y>(request.Slot, request.Length);
        }
    }

    internal Task<Y> Predict(X request, ServerCallContext context)
        => ServiceCalls.Guard(context, async ct => await _handler.PredictAsync(request, ct).ConfigureAwait(false));

    internal Task<WeightsPayload> SaveWeights(EmptyMessage request, ServerCallContext context)
        => ServiceCalls.Guard(context, async ct => new WeightsPayload(await _handler.SaveWeightsAsync(ct).ConfigureAwait(false)));

    internal Task<EmptyMessage> LoadWeights(WeightsPayload request, ServerCallContext context)
        => ServiceCalls.Guard(context, async ct => { await _handler.LoadWeightsAsync(request.Bytes, ct).ConfigureAwait(false); return EmptyMessage.Instance; });

    internal Task<WeightsPayload> SaveOptimizerState(EmptyMessage request, ServerCallContext context)
        => ServiceCalls.Guard(context, async ct => new WeightsPayload(await _handler.SaveOptimizerStateAsync(ct).ConfigureAwait(false)));

    internal Task<EmptyMessage> LoadOptimizerState(WeightsPayload request, ServerCallContext context)
        => ServiceCalls.Guard(context, async ct => { await _handler.LoadOptimizerStateAsync(request.Bytes, ct).ConfigureAwait(false); return EmptyMessage.Instance; });

    internal Task<ModelDescription> Describe(EmptyMessage request, ServerCallContext context)
        => ServiceCalls.Guard(context, _ => Task.FromResult(_handler.Describe()));
}
