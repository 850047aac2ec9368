using System.Net.Http;
using System.Security.Authentication;
using Grpc.Core;

namespace Arc.Remote;

/// <summary>
/// Turns a failed call's <see cref="RpcException"/> into the exception a caller of Arc sees, the same way for every Arc
/// service, so that no <see cref="RpcException"/> leaves Arc's clients. The table is docs/errors.md.
/// </summary>
internal static class RemoteCallErrors
{
    /// <summary>
    /// <see cref="ArcWorkerCertificateException"/> for a TLS worker whose certificate the client refused;
    /// <see cref="OperationCanceledException"/> for a cancelled call or one past its deadline; the model's own
    /// <see cref="ArgumentException"/> (same type, message and parameter) for an argument error the worker reports, an
    /// <see cref="ArgumentException"/> with the worker's detail for a request it could not read;
    /// <see cref="ArcRemoteException"/> for another exception thrown on the worker;
    /// <see cref="ArcWorkerUnavailableException"/> for an unreachable worker; <see cref="ArcWorkerAuthenticationException"/>
    /// for a refused token; <see cref="ArcRemoteCallException"/> for any other status. The <paramref name="error"/> is
    /// kept as the inner exception (except in an <see cref="ArgumentNullException"/> or
    /// <see cref="ArgumentOutOfRangeException"/>, which take none with a parameter name).
    /// </summary>
    /// <param name="error">What gRPC threw.</param>
    /// <param name="channel">The channel of the call.</param>
    /// <param name="method">The call's full method name.</param>
    /// <param name="cancellationToken">The caller's token, given to the <see cref="OperationCanceledException"/> when it was cancelled.</param>
    public static Exception Translate(RpcException error, ArcChannel channel, string method, CancellationToken cancellationToken = default)
    {
        string address = channel.Address.ToString();
        // Checked first: gRPC reports a refused handshake as Internal or Unavailable depending on where it surfaced.
        if (channel.CertificateCheck is { LastRefused: { } refused } check && FailedInTlsHandshake(error))
            return new ArcWorkerCertificateException(address, method, refused.PresentedThumbprint,
                check.Pinned is { } pinned ? WorkerCertificateCheck.Thumbprint(pinned) : null, refused.SystemErrors.ToString(), error);
        string? type = RemoteErrorTrailers.Read(error.Trailers, RemoteErrorTrailers.TypeKey);
        string? message = RemoteErrorTrailers.Read(error.Trailers, RemoteErrorTrailers.MessageKey);
        return error.StatusCode switch
        {
            StatusCode.Cancelled => new OperationCanceledException($"{method} on {address} was cancelled", error,
                cancellationToken.IsCancellationRequested ? cancellationToken : CancellationToken.None),
            StatusCode.DeadlineExceeded => new OperationCanceledException($"{method} on {address} did not end before its deadline", error),
            StatusCode.InvalidArgument when type is not null => ArgumentError(error, type, message ?? "",
                RemoteErrorTrailers.Read(error.Trailers, RemoteErrorTrailers.ParamKey),
                RemoteErrorTrailers.Read(error.Trailers, RemoteErrorTrailers.ActualValueKey)),
            StatusCode.InvalidArgument => new ArgumentException(error.Status.Detail, error),
            StatusCode.Internal when type is not null => new ArcRemoteException(address, method, type, message ?? "",
                RemoteErrorTrailers.Read(error.Trailers, RemoteErrorTrailers.StackKey) ?? "", error),
            StatusCode.Unavailable => new ArcWorkerUnavailableException(address, method, error),
            StatusCode.Unauthenticated => new ArcWorkerAuthenticationException(address, method, error),
            _ => new ArcRemoteCallException(address, method, error.StatusCode, error.Status.Detail, error),
        };
    }

    /// <summary>
    /// Whether <paramref name="error"/> (as <see cref="Translate"/> made it) says that the connection itself failed — no
    /// worker answered, or the call broke off without an answer of Arc's — rather than that a live worker answered with
    /// an error. Only then is it worth asking whether the worker process died (a local worker's call guard does).
    /// </summary>
    public static bool IsTransportFailure(Exception error) => error switch
    {
        ArcWorkerUnavailableException => true,
        ArcRemoteCallException { StatusCode: StatusCode.Internal or StatusCode.Unknown } => true,
        RpcException { StatusCode: StatusCode.Unavailable or StatusCode.Internal or StatusCode.Unknown } => true,
        IOException or HttpRequestException => true,
        _ => false,
    };

    // The same exception type, message and parameter as the model threw (docs/errors.md). ArgumentNullException and
    // ArgumentOutOfRangeException take no inner exception together with a parameter name: the parameter matters more.
    private static ArgumentException ArgumentError(RpcException error, string type, string message, string? parameter, string? actualValue)
    {
        if (parameter is { Length: 0 }) parameter = null;
        return type switch
        {
            "System.ArgumentNullException" => new ArgumentNullException(parameter, message),
            "System.ArgumentOutOfRangeException" when actualValue is not null => new ArgumentOutOfRangeException(parameter, actualValue, message),
            "System.ArgumentOutOfRangeException" => new ArgumentOutOfRangeException(parameter, message),
            _ => new ArgumentException(message, parameter, error),
        };
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

    /// <summary>
    /// One unary call on <paramref name="channel"/> with an optional deadline, its errors translated as above. A token
    /// cancelled already ends it before anything is sent, as a local model's call would end.
    /// </summary>
    public static async Task<TResponse> UnaryAsync<TRequest, TResponse>(ArcChannel channel, Method<TRequest, TResponse> method, TRequest request,
        DateTime? deadline, CancellationToken cancellationToken)
        where TRequest : class where TResponse : class
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var options = new CallOptions(deadline: deadline?.ToUniversalTime(), cancellationToken: cancellationToken);
        try
        {
            return await channel.CallInvoker.AsyncUnaryCall(method, null, options, request).ResponseAsync.ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw Translate(e, channel, method.FullName, cancellationToken);
        }
    }
}
