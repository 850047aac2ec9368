using System.Runtime.CompilerServices;
using Arc.Tracking;

namespace Arc.Cli;

/// <summary>
/// The events after <see cref="EventQuery.AfterId"/>, then each new one: a server's watch stream, or for an embedded
/// store (which trainings in other processes write) the log read again every <see cref="PollInterval"/>, as the server
/// itself watches changes made by other processes. Event ids are handed out in commit order with no gap, so reading
/// on after the last id seen misses none and repeats none.
/// </summary>
internal static class EventFollow
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public static IAsyncEnumerable<TrackingEvent> FollowAsync(IMetadataStore store, EventQuery query, CancellationToken cancellationToken)
        => store is TrackingServerClient server ? server.WatchEventsAsync(query, cancellationToken) : PollAsync(store, query, cancellationToken);

    private static async IAsyncEnumerable<TrackingEvent> PollAsync(IMetadataStore store, EventQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            var page = await store.ReadEventsAsync(query, cancellationToken).ConfigureAwait(false);
            foreach (var e in page) yield return e;
            if (page.Count > 0) query = query with { AfterId = page[^1].Id };
            else await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }
}
