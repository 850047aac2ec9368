using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace Arc.Tracking.Server;

/// <summary>
/// Binds <c>arc.tracking.v1.TrackingService</c>'s methods to one <see cref="TrackingGrpcService"/> with request
/// marshallers that end a call whose bytes are not a protobuf message <see cref="StatusCode.InvalidArgument"/>, saying
/// which request was malformed and why. (The generated marshallers throw a parser exception there, which gRPC reports as
/// Unknown without a word, the same as a bug in the server.)
/// </summary>
/// <remarks>
/// The routes belong to <see cref="TrackingEndpoint"/>, not to the service class: gRPC's own provider binds every class
/// that derives from a generated base, and the methods must be bound once, here.
/// </remarks>
internal sealed class TrackingMethodProvider(TrackingGrpcService service) : IServiceMethodProvider<TrackingEndpoint>
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TrackingEndpoint> context)
        => TrackingService.BindService(new StrictBinder(context), service);

    private sealed class StrictBinder(ServiceMethodProviderContext<TrackingEndpoint> context) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
        {
            ArgumentNullException.ThrowIfNull(handler);
            var strict = new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name,
                Strict(method.RequestMarshaller, method.Name), method.ResponseMarshaller);
            context.AddUnaryMethod(strict, [], (_, request, call) => handler(request, call));
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
        {
            ArgumentNullException.ThrowIfNull(handler);
            context.AddClientStreamingMethod(StrictCopy(method), [], (_, requests, call) => handler(requests, call));
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
        {
            ArgumentNullException.ThrowIfNull(handler);
            context.AddServerStreamingMethod(StrictCopy(method), [], (_, request, responses, call) => handler(request, responses, call));
        }

        private static Method<TRequest, TResponse> StrictCopy<TRequest, TResponse>(Method<TRequest, TResponse> method)
            where TRequest : class where TResponse : class
            => new(method.Type, method.ServiceName, method.Name, Strict(method.RequestMarshaller, method.Name), method.ResponseMarshaller);

        private static Marshaller<T> Strict<T>(Marshaller<T> generated, string methodName) => Marshallers.Create(
            generated.ContextualSerializer,
            deserialization =>
            {
                try
                {
                    return generated.ContextualDeserializer(deserialization);
                }
                catch (InvalidProtocolBufferException e)
                {
                    throw new RpcException(new Status(StatusCode.InvalidArgument,
                        $"malformed {methodName} request: the bytes are not a {typeof(T).Name} protobuf message ({e.Message})"));
                }
            });
    }
}

/// <summary>The class the tracking service's routes are mapped under (see <see cref="TrackingMethodProvider"/>); it holds nothing.</summary>
internal sealed class TrackingEndpoint;
