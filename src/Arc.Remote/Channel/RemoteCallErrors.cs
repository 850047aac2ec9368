using Grpc.Core;

namespace Arc.Remote;

/// <summary>Turns a failed call's <see cref="RpcException"/> into Arc's client exceptions, the same way for every Arc service.</summary>
internal static class RemoteCallErrors
{
    /// <summary>
    /// <see cref="ArcRemoteException"/> for an exception thrown on the worker, <see cref="ArcWorkerUnavailableException"/>
    /// for an unreachable worker, <see cref="ArcWorkerAuthenticationException"/> for a refused token; null when <paramref name="error"/> should stay as it is.
    /// </summary>
    public static Exception? Translate(RpcException error, Uri address, string method)
    {
        if (error.StatusCode == StatusCode.Internal && RemoteErrorTrailers.Read(error.Trailers, RemoteErrorTrailers.TypeKey) is { } type)
            return new ArcRemoteException(address.ToString(), method, type,
                RemoteErrorTrailers.Read(error.Trailers, RemoteErrorTrailers.MessageKey) ?? "",
                RemoteErrorTrailers.Read(error.Trailers, RemoteErrorTrailers.StackKey) ?? "", error);
        if (error.StatusCode == StatusCode.Unavailable)
            return new ArcWorkerUnavailableException(address.ToString(), method, error);
        if (error.StatusCode == StatusCode.Unauthenticated)
            return new ArcWorkerAuthenticationException(address.ToString(), method, error);
        return null;
    }

    /// <summary>One unary call on <paramref name="channel"/> with an optional deadline, its errors translated as above.</summary>
    public static async Task<TResponse> UnaryAsync<TRequest, TResponse>(ArcChannel channel, Method<TRequest, TResponse> method, TRequest request,
        DateTime? deadline, CancellationToken cancellationToken)
        where TRequest : class where TResponse : class
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = new CallOptions(deadline: deadline?.ToUniversalTime(), cancellationToken: cancellationToken);
        try
        {
            return await channel.CallInvoker.AsyncUnaryCall(method, null, options, request);
        }
        catch (RpcException e) when (Translate(e, channel.Address, method.FullName) is { } translated)
        {
            throw translated;
        }
    }
}
