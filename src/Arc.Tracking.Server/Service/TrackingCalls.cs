namespace Arc.Tracking.Server;

/// <summary>
/// Runs one service call and ends it with the status of a refusal (<see cref="TrackingErrors"/>): NotFound,
/// AlreadyExists or InvalidArgument with the store's or the record's message. Anything else propagates and gRPC ends
/// the call Unknown without details, so the server's internals stay on the server.
/// </summary>
internal static class TrackingCalls
{
    public static async Task<T> RunAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (TrackingErrors.ToRpcException(e) is { } status)
        {
            throw status;
        }
    }
}
