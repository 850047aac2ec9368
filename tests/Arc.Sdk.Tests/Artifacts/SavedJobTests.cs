using Arc.Sdk.Tests.Remote;
using Arc.Artifacts;
using Arc.Sdk;
using Arc.Types;
using Arc.Sdk.Tests.Support;

namespace Arc.Sdk.Tests.Artifacts;

/// <summary>Saving a job's parameters with its code bundle, and connecting to it by reference in a worker process.</summary>
public sealed class SavedJobTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly DirectoryInfo _root = TestScratch.Create();

    private SavedModelOptions Options => new() { CacheDirectory = Path.Combine(_root.FullName, "cache") };

    [Fact]
    public async Task A_saved_job_connected_by_reference_in_a_worker_yields_the_same_batches()
    {
        var parameters = new WorkerRampJob.Parameters(Count: 17, Seed: 4);
        var reference = await WorkerRampJob.Registration.SaveAsync(parameters, ArtifactReference.ForLayout(Path.Combine(_root.FullName, "layout")),
            cancellationToken: Ct);
        Assert.Matches(@"^job-workerrampjob-[0-9a-f]{12}$", reference.Tag);

        await using var connected = await SavedJob.ConnectAsync<ImageData, ClassData>(reference, Target.LocalProcess, Options, Ct);

        Assert.NotEqual(Environment.ProcessId, Assert.IsType<LocalProcessJob<ImageData, ClassData>>(connected).ProcessId);
        var here = await new WorkerRampJob(count: 17, seed: 4).SampleAsync(17, DataSplit.Test, seed: 2, Ct);
        var there = await connected.SampleAsync(17, DataSplit.Test, seed: 2, Ct);
        Assert.Equal(here.Inputs.Pixels.Bytes.ToArray(), there.Inputs.Pixels.Bytes.ToArray());
        Assert.Equal(here.Targets.IndexSpan.ToArray(), there.Targets.IndexSpan.ToArray());
    }

    [Fact]
    public async Task A_saved_job_is_not_a_saved_model_and_types_are_checked()
    {
        var reference = await WorkerRampJob.Registration.SaveAsync(new WorkerRampJob.Parameters(), ArtifactReference.ForLayout(Path.Combine(_root.FullName, "layout")),
            cancellationToken: Ct);
        var e = await Assert.ThrowsAsync<ArtifactFormatException>(() => SavedModel.ConnectAsync<ImageData, ClassData>(reference, Target.LocalProcess, Options, Ct));
        Assert.Contains($"'{ArcArtifactTypes.Job}' artifact, not a saved Arc model", e.Message);
        await Assert.ThrowsAsync<SavedArtifactTypeMismatchException>(() => SavedJob.ConnectAsync<TextData, ClassData>(reference, Target.LocalProcess, Options, Ct));
    }

    [Theory]
    [InlineData("in-process")]
    [InlineData("loopback-worker")]
    public async Task A_saved_job_connects_on_the_targets_that_run_it_in_this_process_from_its_registration(string where)
    {
        var target = where == "in-process" ? Target.InProcess : Target.LoopbackWorker;
        var reference = await WhereaboutsJob.Registration.SaveAsync(new WhereaboutsJob.Parameters(Count: 3),
            ArtifactReference.ForLayout(Path.Combine(_root.FullName, "layout")), cancellationToken: Ct);

        await using var connected = await SavedJob.ConnectAsync<TextData, ClassData>(reference, target, Options, Ct);

        // The stored parameters made the job (three samples), and it loaded them in this process.
        var sample = await connected.SampleAsync(3, DataSplit.Test, seed: 1, Ct);
        Assert.Equal(3, sample.Inputs.Count);
        Assert.All(sample.Inputs.Texts, text => Assert.Equal(Environment.ProcessId, WhereaboutsJob.Parse(text).ProcessId));
        if (where == "loopback-worker") Assert.IsType<RemoteJob<TextData, ClassData>>(connected);
    }

    public void Dispose() => _root.Delete(recursive: true);
}
