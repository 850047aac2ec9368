using System.Text;

namespace Arc.Tracking.Web;

/// <summary>The event feed: the latest changes of the namespaces the caller reads, newest first, growing live.</summary>
internal static class EventsPage
{
    public const int Shown = 100;

    public static async Task RenderAsync(PageRequest request)
    {
        var events = await RecentAsync(request).ConfigureAwait(false);
        long last = events.Count == 0 ? await LastIdAsync(request).ConfigureAwait(false) : events[^1].Id;
        var body = new StringBuilder($"<table id=\"events\" data-live=\"/events/live?after={last}\"><caption>The latest {Shown} changes, newest first; new ones appear as they happen</caption>")
            .Append("<thead><tr><th scope=\"col\">Id</th><th scope=\"col\">Time</th><th scope=\"col\">Kind</th><th scope=\"col\">Namespace</th><th scope=\"col\">Object</th><th scope=\"col\">Details</th></tr></thead><tbody aria-live=\"polite\">");
        foreach (var e in events.Reverse()) body.Append(Row(e));
        body.Append("</tbody></table>");
        await request.PageAsync("Events", body.ToString()).ConfigureAwait(false);
    }

    public static string Row(TrackingEvent e)
        => $"<tr><td>{e.Id}</td><td>{Html.Time(e.Time)}</td><td>{Html.E(e.Kind)}</td><td>{Html.E(e.Namespace)}</td><td>{ObjectLink(e)}</td><td><code>{Html.E(e.Payload)}</code></td></tr>";

    /// <summary>Where an event's object is shown: experiments and models have pages, versions their place on the model's.</summary>
    public static string ObjectLink(TrackingEvent e) => e.Kind switch
    {
        TrackingEventKinds.ExperimentCreated or TrackingEventKinds.ExperimentStatusChanged => Html.ExperimentLink(e.ObjectId, e.ObjectId),
        TrackingEventKinds.ModelCreated => Html.ModelLink(e.ObjectId, e.ObjectId),
        TrackingEventKinds.ModelVersionCreated => $"<a href=\"/versions/{Html.U(e.ObjectId)}\">{Html.E(e.ObjectId)}</a>",
        _ => Html.E(e.ObjectId),
    };

    /// <summary>The last <see cref="Shown"/> readable events: read forward in pages from an estimate near the end.</summary>
    private static async Task<IReadOnlyList<TrackingEvent>> RecentAsync(PageRequest request)
    {
        long end = await LastIdAsync(request).ConfigureAwait(false);
        var found = new List<TrackingEvent>();
        // Walk back in windows until enough readable events are found (a token may read few namespaces).
        for (long window = 1000; ; window *= 4)
        {
            found.Clear();
            long after = Math.Max(0, end - window);
            while (true)
            {
                var page = await request.Store.ReadEventsAsync(new EventQuery { AfterId = after, Limit = EventQuery.MaxLimit }, request.Aborted).ConfigureAwait(false);
                found.AddRange(page.Where(e => request.Caller.CanRead(e.Namespace)));
                if (page.Count < EventQuery.MaxLimit) break;
                after = page[^1].Id;
            }
            if (found.Count >= Shown || after == 0 || end - window <= 0) break;
        }
        return found.Count > Shown ? found.GetRange(found.Count - Shown, Shown) : found;
    }

    /// <summary>The newest event id (0 when none), found by galloping: the store reads events forward only.</summary>
    internal static async Task<long> LastIdAsync(PageRequest request)
    {
        long after = 0;
        while (true)
        {
            var page = await request.Store.ReadEventsAsync(new EventQuery { AfterId = after, Limit = EventQuery.MaxLimit }, request.Aborted).ConfigureAwait(false);
            if (page.Count == 0) return after;
            after = page[^1].Id;
            if (page.Count < EventQuery.MaxLimit) return after;
        }
    }
}
