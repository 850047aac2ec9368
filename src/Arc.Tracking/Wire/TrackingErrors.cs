using Grpc.Core;

namespace Arc.Tracking;

/// <summary>
/// The tracking service's errors, both ways, in one place: the service turns a store's refusal into the gRPC status of
/// the same name with the store's message, and the client turns that status back into the typed exception, so a caller
/// of <see cref="TrackingServerClient"/> catches what a caller of the store itself would.
/// </summary>
internal static class TrackingErrors
{
    /// <summary>The status a refusal ends the call with; null for an exception that is not the caller's fault.</summary>
    public static RpcException? ToRpcException(Exception exception) => exception switch
    {
        TrackingException tracking => new RpcException(new Status(ToStatusCode(tracking.Code), tracking.Message)),
        // A record's own check of a field that arrived (an invalid name, an empty batch, a time out of range).
        ArgumentException argument => new RpcException(new Status(StatusCode.InvalidArgument, argument.Message)),
        _ => null,
    };

    /// <summary>The typed exception for a status the service sends for a refusal; null for any other status.</summary>
    public static TrackingException? FromRpcException(RpcException exception) => exception.StatusCode switch
    {
        StatusCode.NotFound => new TrackingNotFoundException(exception.Status.Detail),
        StatusCode.AlreadyExists => new TrackingAlreadyExistsException(exception.Status.Detail),
        StatusCode.InvalidArgument => new TrackingInvalidArgumentException(exception.Status.Detail),
        _ => null,
    };

    private static StatusCode ToStatusCode(TrackingErrorCode code) => code switch
    {
        TrackingErrorCode.NotFound => StatusCode.NotFound,
        TrackingErrorCode.AlreadyExists => StatusCode.AlreadyExists,
        TrackingErrorCode.InvalidArgument => StatusCode.InvalidArgument,
        _ => StatusCode.Unknown,
    };
}
