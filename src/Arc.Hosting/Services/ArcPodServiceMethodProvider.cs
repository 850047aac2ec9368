using Grpc.AspNetCore.Server.Model;
using Arc.Remote;

namespace Arc.Hosting;

/// <summary>Registers <c>arc.Pod</c>'s methods (<see cref="ArcPodMethods"/>) on Grpc.AspNetCore without protobuf code generation.</summary>
public sealed class ArcPodServiceMethodProvider : IServiceMethodProvider<ArcPodService>
{
    /// <inheritdoc />
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<ArcPodService> context)
    {
        var none = Array.Empty<object>();
        context.AddUnaryMethod(ArcPodMethods.Invoke, none, (service, request, call) => service.Invoke(request, call));
        context.AddUnaryMethod(ArcPodMethods.Describe, none, (service, request, call) => service.Describe(request, call));
    }
}
