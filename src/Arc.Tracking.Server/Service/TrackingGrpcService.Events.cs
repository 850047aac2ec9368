using Grpc.Core;
using Microsoft.Extensions.Hosting;

namespace Arc.Tracking.Server;

// Events: reads of the log, and watches that follow it.
internal sealed partial class TrackingGrpcService
{
    // A watch reads this many events at a time while it catches up.
    private const int WatchPageSize = 1000;

    public override Task<ReadEventsReply> ReadEvents(ReadEventsRequest request, ServerCallContext context)
        => TrackingCalls.RunAsync(async () =>
        {
            var reply = new ReadEventsReply();
            foreach (var e in await store.ReadEventsAsync(EventWire.ToQuery(request), context.CancellationToken).ConfigureAwait(false))
                reply.Events.Add(EventWire.ToMessage(e));
            return reply;
        });

    /// <summary>
    /// Sends the matching events after the request's id, then waits for a change of this server (<see cref="EventSignal"/>)
    /// or the poll interval (changes by other processes on a shared store) and reads on from the last id sent. Ids come
    /// in commit order with no gap, so reading after the last id sent never skips or repeats one.
    /// </summary>
    public override Task WatchEvents(WatchEventsRequest request, IServerStreamWriter<EventMessage> responseStream, ServerCallContext context)
        => TrackingCalls.RunAsync(async () =>
        {
            var query = EventWire.ToQuery(request, WatchPageSize);
            using var watching = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
            var cancel = watching.Token;
            try
            {
                while (true)
                {
                    var changed = changes.Next; // before the read: a change that commits after it wakes the wait below
                    var page = await store.ReadEventsAsync(query, cancel).ConfigureAwait(false);
                    foreach (var e in page)
                        await responseStream.WriteAsync(EventWire.ToMessage(e), cancel).ConfigureAwait(false);
                    if (page.Count > 0) query = query with { AfterId = page[^1].Id };
                    if (page.Count == WatchPageSize) continue;
                    await Task.WhenAny(changed, Task.Delay(options.WatchPollInterval, cancel)).ConfigureAwait(false);
                    cancel.ThrowIfCancellationRequested();
                }
            }
            catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
            {
                // The caller did not end the watch: say so, and how to go on.
                throw new RpcException(new Status(StatusCode.Unavailable,
                    $"the tracking server is stopping; watch again with after_id {query.AfterId} (the last event sent) on a running server"));
            }
        });
}
