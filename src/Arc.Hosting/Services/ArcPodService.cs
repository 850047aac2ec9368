using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Arc.Remote;
using Arc.Types;

namespace Arc.Hosting;

/// <summary>
/// The worker side of <c>arc.Pod</c>: an unknown pod name fails with <see cref="StatusCode.NotFound"/> listing the
/// served pods, arguments the pod cannot read with <see cref="StatusCode.InvalidArgument"/>, and an exception of the
/// pod itself with <see cref="StatusCode.Internal"/> and the remote type, message and stack in trailers
/// (<see cref="RemoteErrorTrailers"/>). Either way the worker keeps serving.
/// </summary>
public sealed class ArcPodService
{
    private readonly IRemotePodHandler _handler;

    /// <summary>Serves <paramref name="handler"/>.</summary>
    public ArcPodService(IRemotePodHandler handler) => _handler = handler ?? throw new ArgumentNullException(nameof(handler));

    /// <summary>Binds <c>arc.Pod</c>'s descriptors (<see cref="ArcPodMethods"/>) to this service's methods.</summary>
    internal static void Bind(ServiceMethodProviderContext<ArcPodService> context)
    {
        var none = Array.Empty<object>();
        context.AddUnaryMethod(ArcPodMethods.Invoke, none, (service, request, call) => service.Invoke(request, call));
        context.AddUnaryMethod(ArcPodMethods.Describe, none, (service, request, call) => service.Describe(request, call));
    }

    internal async Task<PodInvokeReply> Invoke(PodInvokeRequest request, ServerCallContext context)
    {
        PodCall? call;
        try
        {
            call = _handler.Prepare(request.Pod, request.Arguments);
        }
        catch (ArcFormatException e)
        {
            // The SDK's readers already name the pod; other handlers' messages get the name in front.
            string detail = e.Message.Contains($"pod '{request.Pod}'", StringComparison.Ordinal) ? e.Message : $"pod '{request.Pod}': {e.Message}";
            throw new RpcException(new Status(StatusCode.InvalidArgument, StatusDetails.Clip(detail)));
        }
        if (call is null)
        {
            var served = _handler.Describe().Pods.Select(p => p.Name).ToArray();
            throw new RpcException(new Status(StatusCode.NotFound, StatusDetails.Clip(
                $"this worker serves no pod named '{StatusDetails.Quote(request.Pod)}'; it serves: {(served.Length == 0 ? "none" : string.Join(", ", served))}")));
        }
        return await ServiceCalls.Guard(context, async ct => new PodInvokeReply(await call(ct).ConfigureAwait(false))).ConfigureAwait(false);
    }

    internal Task<PodCatalog> Describe(EmptyMessage request, ServerCallContext context)
        => ServiceCalls.Guard(context, _ => Task.FromResult(_handler.Describe()));
}
