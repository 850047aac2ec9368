using System.Collections.Concurrent;
using MessagePack;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Sdk.Tests.Remote;

/// <summary>
/// The generated entry points on <see cref="Target.LocalProcess"/>: <c>WorkerMlp.DeployAsync</c> and
/// <c>WorkerRampJob.DeployAsync</c> start real Arc.Worker child processes that load this test assembly, and the typed
/// clients they return are used like the local classes.
/// </summary>
public sealed class DeployAsyncTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly ConcurrentQueue<string> _log = new();
    private readonly TaskCompletionSource _validationStalled = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Target LocalProcess => Target.LocalProcessWith(new LocalProcessOptions { Log = Log });

    private void Log(string line)
    {
        _log.Enqueue(line);
        if (line.EndsWith(WorkerRampJob.ValidationStalled, StringComparison.Ordinal)) _validationStalled.TrySetResult();
    }

    [Fact]
    public async Task A_deployed_model_carries_its_hyperparameters_into_the_child_and_predicts_like_a_local_one()
    {
        var images = RemoteTestData.Images(6, 4, 4, seed: 21).Images;
        var target = LocalProcess;
        await using var remote = await WorkerMlp.DeployAsync(target, hidden: 5, cancellationToken: Ct);

        Assert.Equal(5, remote.Hyperparameters.Hidden);
        Assert.Same(target, remote.Target);
        var worker = Assert.IsType<LocalProcessModel<ImageData, ClassData>>(remote.Deployed);
        Assert.NotEqual(Environment.ProcessId, worker.ProcessId);
        Assert.StartsWith($"Arc.Sdk.Tests.Remote.WorkerMlp client on local-process: model 'workermlp' in worker process {worker.ProcessId}", remote.ToString());

        using var weights = new MemoryStream();
        await remote.SaveWeightsAsync(weights, Ct);
        using var local = new WorkerMlp(hidden: 5);
        weights.Position = 0;
        local.LoadWeights(weights); // fits only a 5-unit model: the hyperparameter crossed the process boundary

        var there = await remote.PredictAsync(images, Ct);
        var here = local.Predict(images);
        Assert.Equal(here.IndexSpan.ToArray(), there.IndexSpan.ToArray());
        Assert.Equal(here.Scores!.Bytes.ToArray(), there.Scores!.Bytes.ToArray());
    }

    [Fact]
    public async Task A_job_evaluates_a_remote_model_and_a_local_one_through_the_same_call()
    {
        await using var job = await WorkerRampJob.DeployAsync(LocalProcess, count: 40, seed: 5, cancellationToken: Ct);
        await using var remoteModel = await WorkerMlp.DeployAsync(LocalProcess, hidden: 6, cancellationToken: Ct);
        using var localModel = new WorkerMlp(hidden: 6);
        // Train the local model a little so the scores are not those of an untouched network, then give the remote one its weights.
        await foreach (var batch in new WorkerRampJob(count: 40, seed: 5).StreamAsync(batchSize: 8, cancellationToken: Ct))
            localModel.Fit(batch.Inputs, batch.Targets);
        using (var weights = new MemoryStream())
        {
            localModel.SaveWeights(weights);
            weights.Position = 0;
            await remoteModel.LoadWeightsAsync(weights, Ct);
        }

        var remoteReport = await job.EvaluateAsync(remoteModel, DataSplit.Test, batchSize: 16, Ct);
        var localReport = await job.EvaluateAsync(localModel, DataSplit.Test, batchSize: 16, Ct);
        var allLocal = await new WorkerRampJob(count: 40, seed: 5).EvaluateAsync(localModel, DataSplit.Test, batchSize: 16, Ct);

        Assert.Equal(40, remoteReport.Samples);
        Assert.Equal("workerrampjob", remoteReport.Job);
        Assert.Equal(localReport.Samples, remoteReport.Samples);
        Assert.Equal(localReport.Metrics, remoteReport.Metrics);
        Assert.Equal(allLocal.Metrics, remoteReport.Metrics);
        Assert.Equal(allLocal.Classification!.Correct, remoteReport.Classification!.Correct);
        // The worker describes where its model computes, so the report names the device as a local one does.
        Assert.Equal("cpu", remoteModel.DeviceName);
        Assert.Equal(localReport.Device, remoteReport.Device);
        for (int truth = 0; truth < WorkerMlp.Classes.Count; truth++)
            for (int predicted = 0; predicted < WorkerMlp.Classes.Count; predicted++)
                Assert.Equal(allLocal.Classification.Confusion(truth, predicted), remoteReport.Classification.Confusion(truth, predicted));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(7)]
    public async Task A_job_in_a_child_process_streams_byte_identical_batches_to_the_local_job(int? shuffleSeed)
    {
        await using var remote = await WorkerRampJob.DeployAsync(LocalProcess, new WorkerRampJob.Parameters(Count: 23, Seed: 9), Ct);
        var local = new WorkerRampJob(count: 23, seed: 9);
        Assert.Equal(23, remote.Parameters.Count);

        var there = new List<Batch<ImageData, ClassData>>();
        await foreach (var batch in remote.StreamAsync(batchSize: 5, DataSplit.Train, shuffleSeed, Ct))
            there.Add(batch);
        var here = new List<Batch<ImageData, ClassData>>();
        await foreach (var batch in local.StreamAsync(batchSize: 5, DataSplit.Train, shuffleSeed, Ct))
            here.Add(batch);

        Assert.Equal([5, 5, 5, 5, 3], there.Select(b => b.Inputs.Count));
        Assert.Equal(here.Count, there.Count);
        for (int i = 0; i < here.Count; i++)
        {
            Assert.Equal(here[i].Inputs.Pixels.Bytes.ToArray(), there[i].Inputs.Pixels.Bytes.ToArray());
            Assert.Equal(here[i].Inputs.Pixels.ShapeArray(), there[i].Inputs.Pixels.ShapeArray());
            Assert.Equal(here[i].Targets.IndexSpan.ToArray(), there[i].Targets.IndexSpan.ToArray());
        }
        var sample = await remote.SampleAsync(4, DataSplit.Test, seed: 3, Ct);
        Assert.Equal((await local.SampleAsync(4, DataSplit.Test, seed: 3, Ct)).Inputs.Pixels.Bytes.ToArray(), sample.Inputs.Pixels.Bytes.ToArray());
    }

    [Fact]
    public async Task Job_parameters_the_job_rejects_fail_with_the_jobs_own_error_naming_the_worker()
    {
        var e = await Assert.ThrowsAsync<ArcWorkerExitedException>(async () => await WorkerRampJob.DeployAsync(LocalProcess, count: 0, cancellationToken: Ct));

        Assert.Equal("workerrampjob", e.ModelName);
        Assert.Contains($"worker 'workerrampjob' (pid {e.ProcessId}) exited", e.Message);
        Assert.Contains("before it was ready", e.Message);
        Assert.Contains("count must be positive", e.Message);
    }

    [Fact]
    public async Task Malformed_job_parameters_on_the_wire_fail_before_any_worker_starts()
    {
        var wire = new ArrayBufferWriterBytes();
        var writer = new MessagePackWriter(wire.Writer);
        writer.WriteMapHeader(1);
        writer.Write("count");
        writer.Write("many");
        writer.Flush();

        var e = await Assert.ThrowsAsync<ArcFormatException>(async () =>
            await WorkerRampJob.Registration.DeployFromWireAsync(LocalProcess, wire.ToArray(), Ct));

        Assert.Contains("job 'workerrampjob'", e.Message);
        Assert.Contains("count: expected an integer (Int32) but found a string", e.Message);
        Assert.Empty(_log); // no worker was started
    }

    [Fact]
    public async Task A_worker_killed_during_a_stream_fails_the_stream_with_an_error_naming_it()
    {
        await using var job = await WorkerRampJob.DeployAsync(LocalProcess, cancellationToken: Ct);
        int pid = Assert.IsType<LocalProcessJob<ImageData, ClassData>>(job.Deployed).ProcessId;
        await using var batches = job.StreamAsync(batchSize: 4, DataSplit.Validation, cancellationToken: Ct).GetAsyncEnumerator(Ct);

        var next = batches.MoveNextAsync().AsTask();
        await _validationStalled.Task.WaitAsync(TimeSpan.FromSeconds(60), Ct); // hang guard only: the stream is inside the worker now
        using (var child = System.Diagnostics.Process.GetProcessById(pid))
            child.Kill();

        var e = await Assert.ThrowsAsync<ArcWorkerExitedException>(() => next.WaitAsync(TimeSpan.FromSeconds(60), Ct)); // hang guard only
        Assert.Equal(pid, e.ProcessId);
        Assert.Contains($"worker 'workerrampjob' (pid {pid}) exited", e.Message);
        Assert.Contains("during Stream", e.Message);
    }

    [Fact]
    public async Task Disposing_a_deployed_job_ends_its_worker_process()
    {
        var job = await WorkerRampJob.DeployAsync(LocalProcess, cancellationToken: Ct);
        int pid = Assert.IsType<LocalProcessJob<ImageData, ClassData>>(job.Deployed).ProcessId;

        await job.DisposeAsync();

        Assert.False(IsRunning(pid));
    }

    [Fact]
    public async Task A_job_factory_cannot_be_sent_to_another_process()
    {
        var e = await Assert.ThrowsAsync<NotSupportedException>(
            async () => await Target.LocalProcess.DeployAsync<ImageData, ClassData>(() => new WorkerRampJob(), Ct));
        Assert.Contains("deploy a registered job", e.Message);
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>A growable byte buffer for a <see cref="MessagePackWriter"/>.</summary>
    private sealed class ArrayBufferWriterBytes
    {
        public System.Buffers.ArrayBufferWriter<byte> Writer { get; } = new();

        public byte[] ToArray() => Writer.WrittenSpan.ToArray();
    }
}
