using Microsoft.Extensions.DependencyInjection;
using Grpc.Core;
using Arc.Remote;

namespace Arc.Hosting;

/// <summary>How every Arc service runs a handler call: with the call's token, and with its exceptions mapped to statuses.</summary>
internal static class ServiceCalls
{
    /// <summary>
    /// Runs <paramref name="call"/>; an <see cref="RpcException"/> passes through, a cancellation the caller caused ends
    /// the call as <see cref="StatusCode.Cancelled"/>, and any other exception becomes <see cref="StatusCode.Internal"/>
    /// with the remote type and message (and the stack, when the owner asked for detailed errors) in trailers (<see cref="RemoteErrorTrailers"/>).
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
        return RemoteErrorTrailers.ToRpcException(error, includeStack: options?.DetailedErrors == true);
    }
}
