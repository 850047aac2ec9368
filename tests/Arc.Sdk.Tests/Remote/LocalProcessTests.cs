using System.Collections.Concurrent;
using System.Diagnostics;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Sdk.Tests.Remote;

/// <summary>
/// Target.LocalProcess: a generator-registered model (<see cref="WorkerMlp"/>) served by a real Arc.Worker child
/// process that loads this test assembly by path.
/// </summary>
public sealed class LocalProcessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly ConcurrentQueue<string> _log = new();

    /// <summary>The generated registration (its module initializer ran when this assembly loaded).</summary>
    private static ModelRegistration<WorkerMlp, WorkerMlp.Hyperparameters, ImageData, ClassData> Registration
        => Assert.IsType<ModelRegistration<WorkerMlp, WorkerMlp.Hyperparameters, ImageData, ClassData>>(ArcRegistry.FindModel("workermlp"));

    private readonly TaskCompletionSource _stalled = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Target LocalProcess => Target.LocalProcessWith(new LocalProcessOptions { Log = Log });

    private void Log(string line)
    {
        _log.Enqueue(line);
        if (line.EndsWith(StallingModel.PredictStarted, StringComparison.Ordinal)) _stalled.TrySetResult();
    }

    [Fact]
    public async Task A_registered_model_in_a_child_process_predicts_what_the_same_model_predicts_here()
    {
        var images = RemoteTestData.Images(6, 4, 4, seed: 11).Images;
        await using var remote = await Registration.DeployAsync(LocalProcess, new WorkerMlp.Hyperparameters(Hidden: 5), Ct);
        var worker = Assert.IsType<LocalProcessModel<ImageData, ClassData>>(remote);
        Assert.NotEqual(Environment.ProcessId, worker.ProcessId);
        Assert.Equal("workermlp", remote.Name);

        using var weights = new MemoryStream();
        await remote.SaveWeightsAsync(weights, Ct);
        // The hyperparameters crossed the process boundary: the child's weights fit a 5-unit model only.
        using var local = new WorkerMlp(hidden: 5);
        weights.Position = 0;
        local.LoadWeights(weights);
        using var wrongSize = new WorkerMlp(hidden: 8);
        weights.Position = 0;
        Assert.Throws<InvalidDataException>(() => wrongSize.LoadWeights(weights));

        var there = await remote.PredictAsync(images, Ct);
        var here = local.Predict(images);
        Assert.Equal(here.IndexSpan.ToArray(), there.IndexSpan.ToArray());
        Assert.Equal(here.Scores!.Bytes.ToArray(), there.Scores!.Bytes.ToArray());
        Assert.Equal(WorkerMlp.Classes, there.ClassNames);
    }

    [Fact]
    public async Task A_killed_worker_fails_the_next_call_with_an_error_naming_it()
    {
        var images = RemoteTestData.Images(2, 4, 4, seed: 3).Images;
        await using var remote = await Registration.DeployAsync(LocalProcess, new WorkerMlp.Hyperparameters(), Ct);
        int pid = Assert.IsType<LocalProcessModel<ImageData, ClassData>>(remote).ProcessId;
        await remote.PredictAsync(images, Ct);

        using (var child = Process.GetProcessById(pid))
        {
            child.Kill();
            await child.WaitForExitAsync(Ct);
        }

        var e = await Assert.ThrowsAsync<ArcWorkerExitedException>(async () => await remote.PredictAsync(images, Ct));
        Assert.Equal("workermlp", e.ModelName);
        Assert.Equal(pid, e.ProcessId);
        Assert.Contains($"worker 'workermlp' (pid {pid}) exited", e.Message);
        Assert.Contains("during Predict", e.Message);
    }

    [Fact]
    public async Task A_worker_that_dies_during_a_call_fails_that_call_with_an_error_naming_it()
    {
        var registration = Assert.IsType<ModelRegistration<StallingModel, StallingModel.Hyperparameters, ImageData, ClassData>>(
            ArcRegistry.FindModel("stallingmodel"));
        await using var remote = await registration.DeployAsync(LocalProcess, new StallingModel.Hyperparameters(), Ct);
        int pid = Assert.IsType<LocalProcessModel<ImageData, ClassData>>(remote).ProcessId;

        var call = remote.PredictAsync(RemoteTestData.Images(1, 4, 4, seed: 1).Images, Ct).AsTask();
        await _stalled.Task.WaitAsync(TimeSpan.FromSeconds(60), Ct); // the model's own stderr line, forwarded: the call is inside Predict
        Assert.Contains($"[worker stallingmodel {pid}] {StallingModel.PredictStarted}", _log);
        using (var child = Process.GetProcessById(pid))
            child.Kill();

        var e = await Assert.ThrowsAsync<ArcWorkerExitedException>(() => call.WaitAsync(TimeSpan.FromSeconds(60), Ct)); // hang guard only
        Assert.Equal(pid, e.ProcessId);
        Assert.Contains($"worker 'stallingmodel' (pid {pid}) exited", e.Message);
        Assert.Contains("during Predict", e.Message);
    }

    [Fact]
    public async Task Disposing_the_deployed_model_ends_the_worker_process()
    {
        var remote = await Registration.DeployAsync(LocalProcess, new WorkerMlp.Hyperparameters(), Ct);
        int pid = Assert.IsType<LocalProcessModel<ImageData, ClassData>>(remote).ProcessId;
        Assert.True(IsRunning(pid));

        await remote.DisposeAsync();

        Assert.False(IsRunning(pid));
    }

    [Fact]
    public async Task A_model_the_worker_cannot_find_fails_with_the_workers_own_error()
    {
        var unregistered = new ModelRegistration<WorkerMlp, WorkerMlp.Hyperparameters, ImageData, ClassData>(
            "nosuchmodel", WorkerMlp.Create, WorkerMlp.HyperparametersFormatter.Instance, new WorkerMlp.Hyperparameters());

        var e = await Assert.ThrowsAsync<ArcWorkerExitedException>(
            async () => await unregistered.DeployAsync(LocalProcess, new WorkerMlp.Hyperparameters(), Ct));

        Assert.Equal("nosuchmodel", e.ModelName);
        Assert.Contains("before it was ready", e.Message);
        Assert.Contains("no model named 'nosuchmodel' is registered in Arc.Sdk.Tests.dll", e.Message);
        Assert.Contains("workermlp", e.Message); // the worker lists what is registered
        Assert.Contains(_log, line => line.StartsWith($"[worker nosuchmodel {e.ProcessId}] arc worker failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_model_factory_cannot_be_sent_to_another_process()
    {
        var e = await Assert.ThrowsAsync<NotSupportedException>(
            async () => await Target.LocalProcess.DeployAsync<ImageData, ClassData>(() => new WorkerMlp(), Ct));
        Assert.Contains("deploy a registered model", e.Message);
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
