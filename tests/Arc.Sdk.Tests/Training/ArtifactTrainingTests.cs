using System.Collections.Concurrent;
using Arc.Artifacts;
using Arc.Sdk.Tests.Artifacts;
using Arc.Sdk.Tests.Remote;
using Arc.Sdk.Tests.Support;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Sdk.Tests.Training;

/// <summary>
/// <see cref="Trainer.TrainAsync{X, Y}"/> over saved models by reference, with the real local OCI layout store and
/// real <c>Target.LocalProcess</c> workers started from the artifacts' own code bundles: each model runs in a worker
/// of its own, trains on one stream of the job, is evaluated, and is saved back as a child naming its parent.
/// </summary>
public sealed class ArtifactTrainingTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly ConcurrentQueue<string> _log = new();
    private DirectoryInfo _directory = null!;
    private ArtifactReference _small = null!, _large = null!;

    private string Layout => Path.Combine(_directory.FullName, "layout");

    private SavedModelOptions Connect => new() { CacheDirectory = Path.Combine(_directory.FullName, "cache") };

    private Target Target => Target.LocalProcessWith(new LocalProcessOptions { Log = _log.Enqueue });

    public async ValueTask InitializeAsync()
    {
        _directory = TestScratch.Create();
        // Two untrained models of one class with different hyperparameters, saved as a user would have saved them.
        using var small = SavedModelFixture.Registration.Create(new(Hidden: 4));
        using var large = SavedModelFixture.Registration.Create(new(Hidden: 8));
        _small = await SavedModelFixture.Registration.SaveAsync(small, new(Hidden: 4), ArtifactReference.ForLayout(Layout), cancellationToken: Ct);
        _large = await SavedModelFixture.Registration.SaveAsync(large, new(Hidden: 8), ArtifactReference.ForLayout(Layout), cancellationToken: Ct);
    }

    public ValueTask DisposeAsync()
    {
        try { _directory.Delete(recursive: true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }

    private ArtifactTrainingOptions Options(ArtifactReference? repository = null) => new()
    {
        Train = new TrainOptions { Epochs = 3, BatchSize = 16, ShuffleSeed = 4 },
        Connect = Connect,
        Repository = repository,
    };

    [Fact]
    public async Task Saved_models_train_in_workers_of_their_own_and_are_saved_back_as_children_of_their_parents()
    {
        var job = new WorkerRampJob(count: 48, seed: 5);

        var result = await Trainer.TrainAsync(job, [_small, _large], Target, Options(), cancellationToken: Ct);

        Assert.Equal(2, result.Entries.Count);
        Assert.All(result.Entries, e => Assert.False(e.Failed, e.Error?.ToString()));
        Assert.Equal(3, result.EpochsCompleted);
        Assert.Equal("accuracy", result.Metric);
        // One worker process each, neither of them this process.
        var processes = result.Entries.Select(e => Assert.IsType<int>(e.ProcessId)).ToArray();
        Assert.Equal(2, processes.Distinct().Count());
        Assert.DoesNotContain(Environment.ProcessId, processes);
        Assert.All(result.Entries, e => Assert.Equal(3 * 3, e.Steps)); // 3 epochs of 48 samples in batches of 16

        using var store = new OciLayoutStore(Layout);
        foreach (var (parent, hidden) in new[] { (_small, 4), (_large, 8) })
        {
            var pinned = parent.RepositoryOnly.WithDigest(await store.ResolveAsync(parent.Tag!, Ct));
            var entry = Assert.Single(result.Entries, e => e.Parent.Equals(pinned));
            var child = entry.Saved!;
            Assert.StartsWith("model-workermlp-", child.Tag);
            Assert.Equal(Layout, child.Repository); // the parent's repository, when no other is given

            var config = await SavedModel.InspectAsync(child, Connect, Ct);
            Assert.Equal(pinned.ToString(), config.Parent);
            Assert.Equal(("workermlp", hidden), (config.Name, config.Parameters!.Value.GetProperty("hidden").GetInt32()));
            Assert.Null((await SavedModel.InspectAsync(parent, Connect, Ct)).Parent);

            // The child carries the trained weights: connected by reference, it scores what the trainer reported,
            // and its weights are not its parent's.
            await using var trained = await SavedModel.ConnectAsync<ImageData, ClassData>(child, Target, Connect, Ct);
            var report = await job.EvaluateAsync(trained, cancellationToken: Ct);
            Assert.Equal(entry.Report!.Metrics["accuracy"], report.Metrics["accuracy"]);
            await using var untrained = await SavedModel.ConnectAsync<ImageData, ClassData>(parent, Target, Connect, Ct);
            Assert.NotEqual(await ModelWeights.Of(untrained), await ModelWeights.Of(trained));
        }
    }

    [Fact]
    public async Task A_job_deployed_to_a_worker_streams_through_the_trainer_to_the_models_workers_and_copies_go_to_another_repository()
    {
        await using var job = await WorkerRampJob.Registration.DeployAsync(Target, new(Count: 48, Seed: 5), Ct);
        var elsewhere = ArtifactReference.ForLayout(Path.Combine(_directory.FullName, "trained"));

        var result = await Trainer.TrainAsync(job, [_small], Target, Options(elsewhere), cancellationToken: Ct);

        var entry = Assert.Single(result.Entries);
        Assert.False(entry.Failed, entry.Error?.ToString());
        Assert.Equal(elsewhere.Repository, entry.Saved!.Repository);
        var config = await SavedModel.InspectAsync(entry.Saved, Connect, Ct);
        Assert.Equal(entry.Parent.ToString(), config.Parent);
        Assert.StartsWith(ArtifactReference.ForLayout(Layout) + "@sha256:", config.Parent);
    }

    [Fact]
    public async Task Saved_models_of_other_types_or_unpinned_references_are_refused_before_any_worker_starts()
    {
        var textJob = new WhereaboutsJob(count: 2);
        var mismatch = await Assert.ThrowsAsync<SavedArtifactTypeMismatchException>(() =>
            Trainer.TrainAsync(textJob, [_small], Target, Options(), cancellationToken: Ct));
        Assert.Contains("but it was requested from", mismatch.Message);

        var repository = await Assert.ThrowsAsync<ArgumentException>(() =>
            Trainer.TrainAsync(new WorkerRampJob(), [_small, _small.RepositoryOnly], Target, Options(), cancellationToken: Ct));
        Assert.Contains("model reference 1", repository.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => Trainer.TrainAsync(new WorkerRampJob(), [], Target, Options(), cancellationToken: Ct));
        Assert.Empty(_log); // no worker was started
    }
}
