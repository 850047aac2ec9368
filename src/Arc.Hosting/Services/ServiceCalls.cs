using Microsoft.Extensions.DependencyInjection;
using Grpc.Core;
using Arc.Remote;

namespace Arc.Hosting;

/// <summary>How every Arc service runs a handler call: with the call's token, and with its exceptions mapped to statuses.</summary>
internal static class ServiceCalls
{
    /// <summary>
    /// Runs <paramref name="call"/>; an <see cref="RpcException"/> passes through, a cancellation the caller caused ends
    /// the call as <see cref="StatusCode.Cancelled"/>, and any other exception becomes a status as
    /// <see cref="ToRpcException(Exception, bool)"/> says.
    /// </summary>
    public static async Task<T> Guard<T>(ServerCallContext context, Func<CancellationToken, Task<T>> call)
    {
        var ct = context.CancellationToken;
        try
        {
            return await call(ct).ConfigureAwait(false);
        }
        catch (RpcException)
        {
            throw;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The caller is gone or out of time; it already knows the status, this only ends the call quietly.
            throw new RpcException(new Status(StatusCode.Cancelled, "the call was cancelled"));
        }
        catch (Exception e)
        {
            throw ToRpcException(e, context);
        }
    }

    /// <summary>
    /// The <see cref="RpcException"/> a worker throws for <paramref name="error"/> during <paramref name="context"/>'s
    /// call: with the stack when the serving host's <see cref="ArcWorkerOptions.DetailedErrors"/> is on, without otherwise.
    /// </summary>
    public static RpcException ToRpcException(Exception error, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = context.GetHttpContext().RequestServices.GetService<ArcWorkerOptions>();
        return ToRpcException(error, includeStack: options?.DetailedErrors == true);
    }

    /// <summary>
    /// The worker's one rule for turning a handler's exception into a status (docs/errors.md): an
    /// <see cref="ArgumentException"/> (the model refused its arguments: a bad shape, a wrong column) is
    /// <see cref="StatusCode.InvalidArgument"/> with the type, message and parameter in trailers, so that the client
    /// raises the same exception with the same text; any other exception is <see cref="StatusCode.Internal"/> with its
    /// type and message, which the client raises as <c>ArcRemoteException</c>. Either way the stack travels only with
    /// <paramref name="includeStack"/> (<see cref="RemoteErrorTrailers"/>).
    /// </summary>
    public static RpcException ToRpcException(Exception error, bool includeStack)
        => error is ArgumentException argument
            ? RemoteErrorTrailers.ToRpcException(argument, includeStack)
            : RemoteErrorTrailers.ToRpcException(error, includeStack);
}
