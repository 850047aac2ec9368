using System.Collections.Concurrent;
using System.Diagnostics;
using Arc.Remote;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Sdk.Tests.Remote;

/// <summary>
/// <see cref="LocalProcessOptions.StandbyWorkers"/>: real Arc.Worker processes started ahead, warmed up, and given
/// their model on the owner's pipe. A deployment is served by the warm one and another takes its place; a standby that
/// died is passed over; the worker program refuses an assignment that sets anything but what to serve, and stops when
/// its owner goes before giving it work.
/// </summary>
public sealed class StandbyWorkerTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly TimeSpan WarmTimeout = TimeSpan.FromSeconds(60);

    private readonly ConcurrentQueue<string> _log = new();

    private static ModelRegistration<WorkerMlp, WorkerMlp.Hyperparameters, ImageData, ClassData> Registration
        => Assert.IsType<ModelRegistration<WorkerMlp, WorkerMlp.Hyperparameters, ImageData, ClassData>>(ArcRegistry.FindModel("workermlp"));

    private LocalProcessOptions Options => new() { Log = _log.Enqueue, StandbyWorkers = 1 };

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await WorkerStandbyPool.ClearAsync();

    [Fact]
    public async Task A_deployment_is_served_by_a_warm_standby_worker_and_another_takes_its_place()
    {
        var target = Target.LocalProcessWith(Options);
        string workerPath = WorkerProcess.WorkerPathOf(Options);
        await using (await Registration.DeployAsync(target, new WorkerMlp.Hyperparameters(Hidden: 5), Ct)) { } // the pool is empty: a new process, and the pool fills
        await WorkerStandbyPool.WhenWarmAsync(workerPath, 1, WarmTimeout);
        int standby = Assert.Single(WorkerStandbyPool.WarmProcessIds(workerPath));

        var images = RemoteTestData.Images(6, 4, 4, seed: 31).Images;
        await using var remote = await Registration.DeployAsync(target, new WorkerMlp.Hyperparameters(Hidden: 7), Ct);
        var worker = Assert.IsType<LocalProcessModel<ImageData, ClassData>>(remote);
        Assert.Equal(standby, worker.ProcessId);

        using var weights = new MemoryStream();
        await remote.SaveWeightsAsync(weights, Ct);
        using var local = new WorkerMlp(hidden: 7);
        weights.Position = 0;
        local.LoadWeights(weights); // fits only a 7-unit model: the assignment carried the hyperparameters
        Assert.Equal(local.Predict(images).IndexSpan.ToArray(), (await remote.PredictAsync(images, Ct)).IndexSpan.ToArray());

        await WorkerStandbyPool.WhenWarmAsync(workerPath, 1, WarmTimeout);
        Assert.DoesNotContain(standby, WorkerStandbyPool.WarmProcessIds(workerPath));
    }

    [Fact]
    public async Task A_standby_worker_that_died_is_passed_over()
    {
        var target = Target.LocalProcessWith(Options);
        string workerPath = WorkerProcess.WorkerPathOf(Options);
        await using (await Registration.DeployAsync(target, new WorkerMlp.Hyperparameters(Hidden: 3), Ct)) { }
        await WorkerStandbyPool.WhenWarmAsync(workerPath, 1, WarmTimeout);
        int standby = Assert.Single(WorkerStandbyPool.WarmProcessIds(workerPath));
        using (var process = Process.GetProcessById(standby))
        {
            process.Kill();
            await process.WaitForExitAsync(Ct);
        }

        await using var remote = await Registration.DeployAsync(target, new WorkerMlp.Hyperparameters(Hidden: 3), Ct);
        var worker = Assert.IsType<LocalProcessModel<ImageData, ClassData>>(remote);
        Assert.NotEqual(standby, worker.ProcessId);
        Assert.Equal(4, (await remote.PredictAsync(RemoteTestData.Images(4, 4, 4, seed: 2).Images, Ct)).Count);
    }

    [Fact]
    public async Task The_worker_program_refuses_an_assignment_that_sets_anything_but_what_to_serve()
    {
        using var worker = StartStandbyByHand();
        await WaitForWarmLineAsync(worker);
        await worker.StandardInput.WriteLineAsync("""{"assembly":"/nowhere/Models.dll","variables":{"LD_PRELOAD":"/tmp/evil.so"}}""");
        await worker.StandardInput.FlushAsync(Ct);

        string errors = await worker.StandardError.ReadToEndAsync(Ct);
        await worker.WaitForExitAsync(Ct);
        Assert.Equal(1, worker.ExitCode);
        Assert.Contains("the standby worker's assignment is refused: it sets LD_PRELOAD", errors);
    }

    [Fact]
    public async Task A_standby_worker_whose_owner_goes_before_giving_it_work_stops()
    {
        using var worker = StartStandbyByHand();
        await WaitForWarmLineAsync(worker);
        worker.StandardInput.Close();

        string errors = await worker.StandardError.ReadToEndAsync(Ct);
        await worker.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.Equal(0, worker.ExitCode);
        Assert.Contains("closed its pipe before giving this standby worker anything to serve", errors);
    }

    [Fact]
    public void An_assignment_round_trips_and_refuses_what_is_not_one()
    {
        var launch = WorkerLaunch.For(Registration, Registration.WriteParameters(new WorkerMlp.Hyperparameters(Hidden: 4)), new LocalProcessOptions());
        Assert.True(WorkerAssignment.Fits(launch));
        var parsed = WorkerAssignment.Parse(WorkerAssignment.Of(launch).ToLine());
        Assert.Equal(launch.AssemblyPath, parsed.AssemblyPath);
        Assert.Equal(launch.Variables.OrderBy(v => v.Key), parsed.Variables.OrderBy(v => v.Key));

        Assert.False(WorkerAssignment.Fits(launch with { Variables = new Dictionary<string, string> { [WorkerEnvironment.Develop] = "1" } }));
        Assert.Contains("not JSON", Assert.Throws<InvalidOperationException>(() => WorkerAssignment.Parse("{assembly")).Message);
        Assert.Contains("names no assembly", Assert.Throws<InvalidOperationException>(() => WorkerAssignment.Parse("""{"variables":{}}""")).Message);
        Assert.Contains("member 'port'", Assert.Throws<InvalidOperationException>(() => WorkerAssignment.Parse("""{"assembly":"a.dll","port":1}""")).Message);
        Assert.Contains("it sets ARC_WORKER_BIND", Assert.Throws<InvalidOperationException>(
            () => WorkerAssignment.Parse("""{"assembly":"a.dll","variables":{"ARC_WORKER_BIND":"0.0.0.0"}}""")).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LocalProcessOptions { StandbyWorkers = -1 });
    }

    /// <summary>The worker program as a standby, started as the pool does, with its token already sent.</summary>
    private static Process StartStandbyByHand()
    {
        var start = new ProcessStartInfo(WorkerProcess.DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(WorkerProcess.WorkerPathOf(new LocalProcessOptions()));
        start.Environment[WorkerEnvironment.Standby] = "1";
        start.Environment[WorkerEnvironment.Owner] = "stdin";
        start.Environment.Remove(WorkerEnvironment.TokenFile);
        var process = Process.Start(start)!;
        process.StandardInput.WriteLine(ArcWorkerToken.Generate());
        process.StandardInput.Flush();
        return process;
    }

    private static async Task WaitForWarmLineAsync(Process worker)
    {
        string? line = await worker.StandardOutput.ReadLineAsync(Ct).AsTask().WaitAsync(WarmTimeout, Ct);
        Assert.Equal("ARC-WORKER-STANDBY", line);
    }
}
