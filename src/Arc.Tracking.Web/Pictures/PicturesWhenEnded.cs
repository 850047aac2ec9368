namespace Arc.Tracking.Web;

/// <summary>
/// Draws an experiment's pictures when it ends (<see cref="TrackingWebOptions.PicturesWhenEnded"/>): follows the event
/// log from where it was at start for <c>experiment.status_changed</c> and attaches the pictures of each experiment
/// that is no longer running, so they are there without anyone pressing the button. Another process writing the store
/// is seen too (the log is read, not this server's calls).
/// </summary>
internal sealed class PicturesWhenEnded(IMetadataStore store, Arc.Tracking.Server.IBlobStore blobs, TimeSpan pollInterval)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            long after = await LastEventIdAsync(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                var events = await store.ReadEventsAsync(new EventQuery { AfterId = after, Kinds = [TrackingEventKinds.ExperimentStatusChanged], Limit = 100 },
                    cancellationToken).ConfigureAwait(false);
                foreach (var change in events)
                {
                    after = change.Id;
                    await DrawAsync(change.ObjectId, cancellationToken).ConfigureAwait(false);
                }
                if (events.Count < 100) await Task.Delay(pollInterval, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task DrawAsync(string experimentId, CancellationToken cancellationToken)
    {
        try
        {
            var experiment = await store.GetExperimentAsync(experimentId, cancellationToken).ConfigureAwait(false);
            if (experiment.Status != ExperimentStatus.Running)
                await ExperimentPictures.AttachAsync(store, blobs, experimentId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TrackingException or IOException or ArgumentException or InvalidOperationException)
        {
            // A picture that cannot be drawn (a blob store down, a name attached meanwhile by the button or another
            // server) costs that picture, never the loop: the button draws it again.
        }
    }

    /// <summary>The newest event id: only experiments that end from now on are drawn, not the whole history.</summary>
    private async Task<long> LastEventIdAsync(CancellationToken cancellationToken)
    {
        long after = 0;
        while (true)
        {
            var page = await store.ReadEventsAsync(new EventQuery { AfterId = after, Limit = EventQuery.MaxLimit }, cancellationToken).ConfigureAwait(false);
            if (page.Count == 0) return after;
            after = page[^1].Id;
            if (page.Count < EventQuery.MaxLimit) return after;
        }
    }
}
