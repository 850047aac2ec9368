using Grpc.Core;

namespace Arc.Remote;

/// <summary>
/// A call to a worker ended with a gRPC status that has no closer .NET meaning (docs/errors.md): the worker was busy
/// (<see cref="StatusCode.ResourceExhausted"/>), serves no such thing (<see cref="StatusCode.NotFound"/>,
/// <see cref="StatusCode.Unimplemented"/>), could not run it now (<see cref="StatusCode.FailedPrecondition"/>, e.g. a
/// develop worker after a failed reload), or the connection failed without an Arc error (<see cref="StatusCode.Internal"/>
/// with no exception of the worker's). The <see cref="RpcException"/> is kept as <see cref="Exception.InnerException"/>.
/// </summary>
public sealed class ArcRemoteCallException : Exception
{
    /// <summary>Creates the exception for <paramref name="method"/> on the worker at <paramref name="endpoint"/>.</summary>
    public ArcRemoteCallException(string endpoint, string method, StatusCode statusCode, string detail, Exception? inner = null)
        : base($"{method} on {endpoint} failed ({statusCode}): {detail}", inner)
    {
        Endpoint = endpoint;
        Method = method;
        StatusCode = statusCode;
        Detail = detail;
    }

    /// <summary>The worker's address.</summary>
    public string Endpoint { get; }

    /// <summary>The gRPC method that failed, e.g. <c>/arc.Model/Predict</c>.</summary>
    public string Method { get; }

    /// <summary>The call's gRPC status.</summary>
    public StatusCode StatusCode { get; }

    /// <summary>The status detail, as the worker (or the client's transport) wrote it.</summary>
    public string Detail { get; }
}
