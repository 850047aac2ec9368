using System.Security.Authentication;
using Grpc.Core;

namespace Arc.Remote;

/// <summary>Turns a failed call's <see cref="RpcException"/> into Arc's client exceptions, the same way for every Arc service.</summary>
internal static class RemoteCallErrors
{
    /// <summary>
    /// <see cref="ArcRemoteException"/> for an exception thrown on the worker, <see cref="ArcWorkerCertificateException"/>
    /// for a TLS worker whose certificate the client refused, <see cref="ArcWorkerUnavailableException"/> for an
    /// unreachable worker, <see cref="ArcWorkerAuthenticationException"/> for a refused token; null when
    /// <paramref name="error"/> should stay as it is.
    /// </summary>
    public static Exception? Translate(RpcException error, ArcChannel channel, string method)
    {
        var address = channel.Address;
        // Checked first: gRPC reports a refused handshake as Internal or Unavailable depending on where it surfaced.
        if (channel.CertificateCheck is { LastRefused: { } refused } check && FailedInTlsHandshake(error))
            return new ArcWorkerCertificateException(address.ToString(), method, refused.PresentedThumbprint,
                check.Pinned is { } pinned ? WorkerCertificateCheck.Thumbprint(pinned) : null, refused.SystemErrors.ToString(), error);
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

    /// <summary>Whether the call failed because the TLS handshake did (an <see cref="AuthenticationException"/> anywhere beneath it).</summary>
    private static bool FailedInTlsHandshake(RpcException error)
    {
        for (Exception? e = error.Status.DebugException; e is not null; e = e.InnerException)
            if (e is AuthenticationException) return true;
        for (Exception? e = error.InnerException; e is not null; e = e.InnerException)
            if (e is AuthenticationException) return true;
        return false;
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
            return await channel.CallInvoker.AsyncUnaryCall(method, null, options, request).ResponseAsync.ConfigureAwait(false);
        }
        catch (RpcException e) when (Translate(e, channel, method.FullName) is { } translated)
        {
            throw translated;
        }
    }
}
