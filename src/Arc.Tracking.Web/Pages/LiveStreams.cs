using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Arc.Tracking.Web;

/// <summary>
/// Server-sent events for the live pages. The store is polled every <see cref="TrackingWebOptions.LivePollInterval"/>
/// (metric points are not events, and another process may write the store): a running experiment's stream says
/// "changed" when a series got a point, and "ended" when the experiment ends; the feed's stream sends each new event.
/// </summary>
internal static class LiveStreams
{
    public static async Task ExperimentAsync(PageRequest request)
    {
        var experiment = await request.Store.GetExperimentAsync(request.Route("id"), request.Aborted).ConfigureAwait(false);
        request.RequireRead(experiment.Namespace);
        var response = await StartAsync(request).ConfigureAwait(false);
        string? seen = null;
        while (!request.Aborted.IsCancellationRequested)
        {
            experiment = await request.Store.GetExperimentAsync(experiment.Id, request.Aborted).ConfigureAwait(false);
            var latest = await request.Store.ReadLatestMetricsAsync(experiment.Id, request.Aborted).ConfigureAwait(false);
            // What changes when any series gets a point: its last step and time.
            string state = string.Join(';', latest.Select(p => $"{p.Key}@{p.Step}@{p.WallTime.UtcTicks}"));
            if (seen is not null && state != seen) await SendAsync(response, "changed", null, JsonSerializer.Serialize(latest.Count), request.Aborted).ConfigureAwait(false);
            seen = state;
            if (experiment.Status != ExperimentStatus.Running)
            {
                await SendAsync(response, "ended", null, JsonSerializer.Serialize(experiment.Status.ToString()), request.Aborted).ConfigureAwait(false);
                return;
            }
            await Task.Delay(request.Options.LivePollInterval, request.Aborted).ConfigureAwait(false);
        }
    }

    public static async Task EventsAsync(PageRequest request)
    {
        long after = long.TryParse(request.Query("after"), out long a) && a >= 0 ? a
            : long.TryParse(request.Context.Request.Headers["Last-Event-ID"], out long last) ? last : 0;
        var response = await StartAsync(request).ConfigureAwait(false);
        while (!request.Aborted.IsCancellationRequested)
        {
            var events = await request.Store.ReadEventsAsync(new EventQuery { AfterId = after, Limit = 500 }, request.Aborted).ConfigureAwait(false);
            foreach (var e in events.Where(e => request.Caller.CanRead(e.Namespace)))
                await SendAsync(response, "tracking", e.Id, JsonSerializer.Serialize(new { html = EventsPage.Row(e) }), request.Aborted).ConfigureAwait(false);
            if (events.Count > 0) after = events[^1].Id;
            if (events.Count < 500) await Task.Delay(request.Options.LivePollInterval, request.Aborted).ConfigureAwait(false);
        }
    }

    /// <summary>The stream's headers, sent at once so the browser's EventSource opens before the first change.</summary>
    private static async Task<HttpResponse> StartAsync(PageRequest request)
    {
        var response = request.Context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-store";
        await response.StartAsync(request.Aborted).ConfigureAwait(false);
        await response.Body.FlushAsync(request.Aborted).ConfigureAwait(false);
        return response;
    }

    private static async Task SendAsync(HttpResponse response, string kind, long? id, string data, CancellationToken cancellationToken)
    {
        var message = new StringBuilder();
        if (id is not null) message.Append("id: ").Append(id.Value).Append('\n');
        message.Append("event: ").Append(kind).Append("\ndata: ").Append(data).Append("\n\n");
        await response.WriteAsync(message.ToString(), cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
