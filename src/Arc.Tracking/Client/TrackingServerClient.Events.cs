using System.Runtime.CompilerServices;
using Grpc.Core;

namespace Arc.Tracking;

// Events: a read of the log, and a live watch that resumes from the last id seen.
public sealed partial class TrackingServerClient
{
    /// <summary>The events after <see cref="EventQuery.AfterId"/> that match the query, by id, at most <see cref="EventQuery.Limit"/>.</summary>
    public async Task<IReadOnlyList<TrackingEvent>> ReadEventsAsync(EventQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var reply = await CallAsync(client => client.ReadEventsAsync(EventWire.ToRequest(query), cancellationToken: cancellationToken)).ConfigureAwait(false);
        return reply.Events.Select(EventWire.ToEvent).ToArray();
    }

    /// <summary>
    /// Every event after <see cref="EventQuery.AfterId"/> that matches the query's namespace and kinds, by id, and then
    /// each new one as it commits, until <paramref name="cancellationToken"/> is cancelled (the query's
    /// <see cref="EventQuery.Limit"/> is not used). Event ids are handed out in commit order with no gap, so after a
    /// break (an <see cref="RpcException"/>: the connection or the server went away) watching again with
    /// <see cref="EventQuery.AfterId"/> set to the last id received misses no event and repeats none.
    /// </summary>
    public async IAsyncEnumerable<TrackingEvent> WatchEventsAsync(EventQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        using var call = _client.WatchEvents(EventWire.ToWatchRequest(query), cancellationToken: cancellationToken);
        while (true)
        {
            bool more;
            try
            {
                more = await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e) when (TrackingErrors.FromRpcException(e) is { } refusal)
            {
                throw refusal;
            }
            if (!more) yield break;
            yield return EventWire.ToEvent(call.ResponseStream.Current);
        }
    }
}
