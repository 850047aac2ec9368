using Grpc.AspNetCore.Server.Model;
using Arc.Remote;
using Arc.Types;

namespace Arc.Hosting;

/// <summary>
/// Registers <c>arc.Model</c>'s methods on Grpc.AspNetCore without protobuf code generation: the descriptors of
/// <see cref="ArcModelMethods{X, Y}"/> bound to <see cref="ArcModelService{X, Y}"/>'s methods.
/// </summary>
public sealed class ArcModelServiceMethodProvider<X, Y> : IServiceMethodProvider<ArcModelService<X, Y>>
    where X : class, IArcData<X> where Y : class, IArcData<Y>
{
    /// <inheritdoc />
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<ArcModelService<X, Y>> context)
    {
        var none = Array.Empty<object>();
        context.AddUnaryMethod(ArcModelMethods<X, Y>.Fit, none, (service, request, call) => service.Fit(request, call));
        context.AddDuplexStreamingMethod(ArcModelMethods<X, Y>.FitStream, none,
            (service, requests, replies, call) => service.FitStream(requests, replies, call));
        context.AddUnaryMethod(ArcModelMethods<X, Y>.Predict, none, (service, request, call) => service.Predict(request, call));
        context.AddUnaryMethod(ArcModelMethods<X, Y>.SaveWeights, none, (service, request, call) => service.SaveWeights(request, call));
        context.AddUnaryMethod(ArcModelMethods<X, Y>.LoadWeights, none, (service, request, call) => service.LoadWeights(request, call));
        context.AddUnaryMethod(ArcModelMethods<X, Y>.Describe, none, (service, request, call) => service.Describe(request, call));
    }
}
