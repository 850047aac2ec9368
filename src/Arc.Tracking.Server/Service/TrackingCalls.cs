using Grpc.Core;

namespace Arc.Tracking.Server;

/// <summary>
/// Runs one service call and ends it with the status of a refusal (<see cref="TrackingErrors"/>): NotFound,
/// AlreadyExists or InvalidArgument with the store's or the record's message; DataLoss for blob bytes that do not match
/// their sha256. Anything else propagates and gRPC ends the call Unknown without details, so the server's internals stay
/// on the server.
/// </summary>
internal static class TrackingCalls
{
    public static async Task<T> RunAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (ToStatus(e) is { } status)
        {
            throw status;
        }
    }

    public static async Task RunAsync(Func<Task> call)
    {
        try
        {
            await call().ConfigureAwait(false);
        }
        catch (Exception e) when (ToStatus(e) is { } status)
        {
            throw status;
        }
    }

    private static RpcException? ToStatus(Exception exception) => exception is BlobCorruptedException corrupted
        ? new RpcException(new Status(StatusCode.DataLoss, corrupted.Message))
        : TrackingErrors.ToRpcException(exception);
}
