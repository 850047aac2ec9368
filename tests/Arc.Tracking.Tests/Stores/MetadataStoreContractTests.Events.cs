using Xunit;

namespace Arc.Tracking.Tests.Stores;

public abstract partial class MetadataStoreContractTests
{
    [Fact]
    public async Task Every_change_appends_one_event_numbered_in_order()
    {
        var experiment = await NewExperimentAsync("run-1", "langtech");
        await Store.SetExperimentStatusAsync(experiment.Id, ExperimentStatus.Finished, null, Cancel);
        var checkpoint = await Store.CreateCheckpointAsync(new CheckpointDraft(experiment.Id, 1, Sha), Cancel);
        var model = await NewModelAsync("m", "vision");
        var version = await Store.CreateModelVersionAsync(new ModelVersionDraft(model.Id), Cancel);
        await Store.SetLabelAsync(LabelTarget.Model(model.Id), "k", "v", Cancel);
        await Store.RemoveLabelAsync(LabelTarget.Model(model.Id), "k", Cancel);
        await Store.AttachFileAsync(FileOwner.Experiment(experiment.Id), new FileRef("f", Sha, 1), Cancel);
        var second = await NewExperimentAsync("run-2", "langtech");

        var events = await AllEventsAsync();
        Assert.Equal(
        [
            (1L, TrackingEventKinds.NamespaceCreated, "langtech", "langtech"),
            (2L, TrackingEventKinds.ExperimentCreated, experiment.Id, "langtech"),
            (3L, TrackingEventKinds.ExperimentStatusChanged, experiment.Id, "langtech"),
            (4L, TrackingEventKinds.CheckpointCreated, checkpoint.Id, "langtech"),
            (5L, TrackingEventKinds.NamespaceCreated, "vision", "vision"),
            (6L, TrackingEventKinds.ModelCreated, model.Id, "vision"),
            (7L, TrackingEventKinds.ModelVersionCreated, version.Id, "vision"),
            (8L, TrackingEventKinds.LabelSet, model.Id, "vision"),
            (9L, TrackingEventKinds.LabelRemoved, model.Id, "vision"),
            (10L, TrackingEventKinds.FileAttached, experiment.Id, "langtech"),
            (11L, TrackingEventKinds.ExperimentCreated, second.Id, "langtech"),
        ], events.Select(e => (e.Id, e.Kind, e.ObjectId, e.Namespace)));
        Assert.Equal("{}", events[0].Payload);
        Assert.Equal("{\"name\":\"run-1\",\"owner\":\"me@example.com\",\"framework\":\"\",\"status\":\"running\"}", events[1].Payload);
        // One transaction, one clock reading: the events of a call carry its objects' times.
        Assert.Equal(experiment.StartedAt, events[1].Time);
        Assert.Equal(events[4].Time, events[5].Time);
        Assert.Equal(model.CreatedAt, events[5].Time);
        Assert.True(events.Zip(events.Skip(1)).All(pair => pair.First.Time <= pair.Second.Time));
    }

    [Fact]
    public async Task Events_are_read_after_an_id_by_namespace_and_kind_up_to_a_limit()
    {
        await NewExperimentAsync("a", "langtech");
        var model = await NewModelAsync("m", "vision");
        await NewExperimentAsync("b", "langtech");
        await Store.SetLabelAsync(LabelTarget.Model(model.Id), "k", "v", Cancel);

        Assert.Equal([3L, 4L, 5L, 6L], (await Store.ReadEventsAsync(new EventQuery { AfterId = 2 }, Cancel)).Select(e => e.Id));
        Assert.Equal([1L, 2L, 5L], (await Store.ReadEventsAsync(new EventQuery { Namespace = "langtech" }, Cancel)).Select(e => e.Id));
        Assert.Equal([5L], (await Store.ReadEventsAsync(new EventQuery { Namespace = "langtech", AfterId = 2 }, Cancel)).Select(e => e.Id));
        Assert.Equal([4L, 6L], (await Store.ReadEventsAsync(new EventQuery { Kinds = [TrackingEventKinds.ModelCreated, TrackingEventKinds.LabelSet] }, Cancel))
            .Select(e => e.Id));
        Assert.Equal([4L], (await Store.ReadEventsAsync(new EventQuery { Namespace = "vision", Kinds = [TrackingEventKinds.ModelCreated] }, Cancel)).Select(e => e.Id));
        Assert.Equal([1L, 2L], (await Store.ReadEventsAsync(new EventQuery { Limit = 2 }, Cancel)).Select(e => e.Id));
        Assert.Empty(await Store.ReadEventsAsync(new EventQuery { AfterId = 6 }, Cancel));
        Assert.Empty(await Store.ReadEventsAsync(new EventQuery { Namespace = "nobody" }, Cancel));

        // Paging with the last id seen reads every event once.
        var paged = new List<long>();
        long after = 0;
        while (await Store.ReadEventsAsync(new EventQuery { AfterId = after, Limit = 4 }, Cancel) is { Count: > 0 } page)
        {
            paged.AddRange(page.Select(e => e.Id));
            after = page[^1].Id;
        }
        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L], paged);
    }

    [Fact]
    public async Task A_reader_following_the_events_during_concurrent_writes_never_sees_a_gap()
    {
        // What a watch relies on: an event with a smaller id never commits after one with a larger id, so reading on
        // after the last id seen misses nothing even while four writers race.
        var writers = Enumerable.Range(0, 4).Select(writer => Task.Run(async () =>
        {
            for (int i = 0; i < 15; i++)
            {
                var model = await NewModelAsync($"w{writer}-m{i}", $"team-{writer}");
                await Store.SetLabelAsync(LabelTarget.Model(model.Id), "stage", "dev", Cancel);
            }
        }, Cancel)).ToArray();
        var seen = new List<long>();
        long after = 0;
        bool writing = true;
        while (writing)
        {
            writing = !writers.All(w => w.IsCompleted);
            foreach (var e in await Store.ReadEventsAsync(new EventQuery { AfterId = after }, Cancel))
            {
                Assert.True(e.Id == after + 1, $"read event {e.Id} right after {after}: an event committed out of order or was skipped");
                seen.Add(e.Id);
                after = e.Id;
            }
        }
        await Task.WhenAll(writers);
        Assert.Equal(4 + 4 * 15 * 2, seen.Count);
    }
}
