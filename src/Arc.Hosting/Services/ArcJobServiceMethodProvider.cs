using Grpc.AspNetCore.Server.Model;
using Arc.Remote;
using Arc.Types;

namespace Arc.Hosting;

/// <summary>Registers <c>arc.Job</c>'s methods (<see cref="ArcJobMethods{X, Y}"/>) on Grpc.AspNetCore without protobuf code generation.</summary>
public sealed class ArcJobServiceMethodProvider<X, Y> : IServiceMethodProvider<ArcJobService<X, Y>>
    where X : class, IArcData<X> where Y : class, IArcData<Y>
{
    /// <inheritdoc />
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<ArcJobService<X, Y>> context)
    {
        var none = Array.Empty<object>();
        context.AddServerStreamingMethod(ArcJobMethods<X, Y>.Stream, none, (service, request, writer, call) => service.Stream(request, writer, call));
        context.AddUnaryMethod(ArcJobMethods<X, Y>.Sample, none, (service, request, call) => service.Sample(request, call));
        context.AddUnaryMethod(ArcJobMethods<X, Y>.Describe, none, (service, request, call) => service.Describe(request, call));
    }
}
