using Grpc.Core;
using Xunit;

namespace Arc.Tracking.Tests.Service;

/// <summary>
/// WatchEvents end to end: a watch sends the events after an id, filtered by namespace and kind, then each new one as
/// it commits; broken off (by the caller or by the server going away) and started again from the last id seen, it
/// delivers exactly the sequence the store holds — no gap, no duplicate.
/// </summary>
public sealed class TrackingServiceWatchTests : IAsyncLifetime
{
    private LiveTrackingServer _live = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _live = await LiveTrackingServer.StartAsync(Cancel);

    public async ValueTask DisposeAsync()
    {
        if (_live is not null) await _live.DisposeAsync();
    }

    [Fact]
    public async Task A_watch_sends_the_past_then_each_new_event_filtered_by_namespace_and_kind()
    {
        var model = await _live.Client.CreateModelAsync(new RegisteredModelDraft("vision", "mnist", "me@example.com"), Cancel);
        await _live.Client.CreateExperimentAsync(new ExperimentDraft("speech", "run-1", "me@example.com"), Cancel);
        await _live.Client.SetLabelAsync(LabelTarget.Model(model.Id), "stage", "dev", Cancel);

        using var watching = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        watching.CancelAfter(TimeSpan.FromSeconds(60));
        var query = new EventQuery { Namespace = "vision", Kinds = [TrackingEventKinds.ModelCreated, TrackingEventKinds.LabelSet, TrackingEventKinds.ModelVersionCreated] };
        await using var events = _live.Client.WatchEventsAsync(query, watching.Token).GetAsyncEnumerator(watching.Token);

        // The past: model.created (2) and label.set (5); not the namespaces, not speech's experiment.
        Assert.True(await events.MoveNextAsync());
        Assert.Equal((2L, TrackingEventKinds.ModelCreated, model.Id), (events.Current.Id, events.Current.Kind, events.Current.ObjectId));
        Assert.True(await events.MoveNextAsync());
        Assert.Equal((5L, TrackingEventKinds.LabelSet), (events.Current.Id, events.Current.Kind));
        Assert.Equal("{\"object_kind\":\"model\",\"key\":\"stage\",\"value\":\"dev\"}", events.Current.Payload);

        // Then what commits while it waits, whether it matches or not.
        await _live.Client.CreateExperimentAsync(new ExperimentDraft("vision", "run-2", "me@example.com"), Cancel);   // 6: kind not watched
        var version = await _live.Client.CreateModelVersionAsync(new ModelVersionDraft(model.Id), Cancel);            // 7
        Assert.True(await events.MoveNextAsync());
        Assert.Equal((7L, TrackingEventKinds.ModelVersionCreated, version.Id, "vision"),
            (events.Current.Id, events.Current.Kind, events.Current.ObjectId, events.Current.Namespace));
        var stored = (await _live.Store.ReadEventsAsync(new EventQuery { AfterId = 6, Limit = 1 }, Cancel)).Single();
        Assert.Equal(stored, events.Current);
    }

    [Fact]
    public async Task A_watch_broken_off_mid_stream_and_resumed_from_the_last_id_misses_nothing_and_repeats_nothing()
    {
        // Four writers keep changing things the whole time; the watcher breaks off after every 25 events and resumes.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        var writers = Enumerable.Range(0, 4).Select(writer => Task.Run(async () =>
        {
            for (int i = 0; i < 30; i++)
            {
                var model = await _live.Client.CreateModelAsync(new RegisteredModelDraft($"team-{writer}", $"m{i}", "me@example.com"), stop.Token);
                await _live.Client.SetLabelAsync(LabelTarget.Model(model.Id), "stage", "dev", stop.Token);
            }
        }, Cancel)).ToArray();
        const int Total = 4 + 4 * 30 * 2; // a namespace, then a model and a label per step, per writer

        var received = new List<TrackingEvent>();
        int breaks = 0;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        deadline.CancelAfter(TimeSpan.FromSeconds(120));
        while (received.Count < Total)
        {
            long after = received.Count == 0 ? 0 : received[^1].Id;
            using var connection = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
            int thisTime = 0;
            try
            {
                await foreach (var e in _live.Client.WatchEventsAsync(new EventQuery { AfterId = after }, connection.Token))
                {
                    received.Add(e);
                    if (++thisTime == 25 || received.Count == Total) connection.Cancel(); // disconnect mid-stream
                }
            }
            catch (OperationCanceledException) when (connection.IsCancellationRequested && !deadline.IsCancellationRequested)
            {
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && !deadline.IsCancellationRequested)
            {
            }
            breaks++;
        }
        await Task.WhenAll(writers);

        Assert.True(breaks >= Total / 25, $"the watch was broken off {breaks} times");
        Assert.Equal(Enumerable.Range(1, Total).Select(i => (long)i), received.Select(e => e.Id));
        Assert.Equal(await _live.Store.ReadEventsAsync(new EventQuery { Limit = EventQuery.MaxLimit }, Cancel), received);
    }

    [Fact]
    public async Task A_watch_ended_by_a_server_restart_resumes_on_the_new_server_without_a_gap()
    {
        var model = await _live.Client.CreateModelAsync(new RegisteredModelDraft("vision", "mnist", "me@example.com"), Cancel); // 1, 2
        await _live.Client.SetLabelAsync(LabelTarget.Model(model.Id), "stage", "dev", Cancel);                                // 3
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));

        var query = new EventQuery { Namespace = "vision" };
        var received = new List<TrackingEvent>();
        // A client of its own, so that the restart (which replaces _live.Client) leaves the watch to end as the server ends it.
        using var watcher = new TrackingServerClient(_live.Server.Address);
        var watch = watcher.WatchEventsAsync(query, deadline.Token).GetAsyncEnumerator(deadline.Token);
        RpcException? broken = null;
        Task? restart = null;
        try
        {
            while (await watch.MoveNextAsync())
            {
                received.Add(watch.Current);
                if (received.Count == 3)
                {
                    // The server goes away while the watch waits; changes are made past it, straight into the store.
                    restart = _live.RestartAsync(deadline.Token, whileStopped: async () =>
                    {
                        await _live.Store.SetLabelAsync(LabelTarget.Model(model.Id), "stage", "prod", deadline.Token);         // 4
                        await _live.Store.CreateExperimentAsync(new ExperimentDraft("speech", "elsewhere", "me@example.com"), deadline.Token); // 5, 6
                    });
                }
            }
        }
        catch (RpcException e)
        {
            broken = e;
        }
        finally
        {
            await watch.DisposeAsync();
        }
        Assert.NotNull(broken);
        Assert.Equal(StatusCode.Unavailable, broken.StatusCode);
        Assert.Contains("after_id 3", broken.Status.Detail);

        // The new server is up; resume on it from the last id seen.
        await restart!;
        await _live.Client.RemoveLabelAsync(LabelTarget.Model(model.Id), "stage", deadline.Token);                           // 7
        await foreach (var e in _live.Client.WatchEventsAsync(query with { AfterId = received[^1].Id }, deadline.Token))
        {
            received.Add(e);
            if (e.Id == 7) break;
        }

        Assert.Equal([1L, 2L, 3L, 4L, 7L], received.Select(e => e.Id));
        Assert.Equal([TrackingEventKinds.NamespaceCreated, TrackingEventKinds.ModelCreated, TrackingEventKinds.LabelSet, TrackingEventKinds.LabelSet,
            TrackingEventKinds.LabelRemoved], received.Select(e => e.Kind));
    }

    [Fact]
    public async Task A_watch_with_an_invalid_filter_ends_InvalidArgument()
    {
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(_live.Server.Address);
        var raw = new TrackingService.TrackingServiceClient(channel);
        foreach (var request in new[]
                 {
                     new WatchEventsRequest { AfterId = -1 },
                     new WatchEventsRequest { Namespace = "Not A Label" },
                     new WatchEventsRequest { Kinds = { "model.deleted" } },
                 })
        {
            using var call = raw.WatchEvents(request, cancellationToken: Cancel);
            var e = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(Cancel));
            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        }
        Assert.Empty(await _live.Client.ListNamespacesAsync(Cancel)); // and it still serves
    }
}
