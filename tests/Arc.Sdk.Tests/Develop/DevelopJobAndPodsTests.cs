using System.Collections.Concurrent;
using Arc.Sdk.Tests.Remote;
using Arc.Sdk.Tests.Support;
using Arc.Testing;
using Grpc.Core;
using Arc.Kubernetes;
using Arc.Remote;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Sdk.Tests.Develop;

/// <summary>
/// Develop mode for jobs and pods against real Arc.Worker child processes: a <c>[Job]</c> and a <c>[Pod]</c> built with
/// Roslyn and Arc's generators (<see cref="DevelopSampleBuild.BuildJobAndPods"/>) say which version of the code ran and
/// in which process, so each test sees both that the call ran in the develop worker and that a one-line change
/// reached the same worker after a reload.
/// </summary>
public sealed class DevelopJobAndPodsTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly ConcurrentQueue<string> _log = new();
    private readonly DevelopSampleBuild _build = new(TestScratch.Create().FullName);

    public void Dispose() => Directory.Delete(_build.Folder, recursive: true);

    private LocalProcessOptions Options => new() { Log = _log.Enqueue };

    private Task<DevelopJob<TextData, ClassData>> StartJobAsync(int rows = 2)
        => DevelopJob<TextData, ClassData>.StartAsync(_build.AssemblyPath, DevelopSampleBuild.JobName,
            DevSampleStandIn.RowsParameters(rows), Options, Ct);

    [Fact]
    public async Task A_developed_job_streams_from_its_worker_and_a_one_line_change_reaches_the_same_process()
    {
        _build.BuildJobAndPods(version: 1);
        await using var job = await StartJobAsync(rows: 3);
        int pid = job.ProcessId;
        Assert.NotEqual(Environment.ProcessId, pid);

        var sample = await job.SampleAsync(2, cancellationToken: Ct);
        Assert.Equal([$"v1 {pid}", $"v1 {pid}"], sample.Inputs.Texts);
        var streamed = new List<string>();
        await foreach (var batch in job.StreamAsync(batchSize: 2, cancellationToken: Ct))
            streamed.AddRange(batch.Inputs.Texts);
        Assert.Equal(Enumerable.Repeat($"v1 {pid}", 3), streamed); // the job's parameters reached the worker (rows: 3)

        _build.BuildJobAndPods(version: 2);
        var reload = await job.ReloadAsync(Ct);

        Assert.Equal((2L, 1), (reload.Version, reload.FilesSent)); // DevSample.dll only
        Assert.Equal(pid, job.ProcessId);
        Assert.False(System.Diagnostics.Process.GetProcessById(pid).HasExited);
        Assert.Equal($"v2 {pid}", (await job.SampleAsync(1, cancellationToken: Ct)).Inputs.Texts[0]);
        var status = await job.StatusAsync(Ct);
        Assert.Equal((2L, DevelopStates.Serving, DevelopSampleBuild.JobName, 0), (status.Version, status.State, status.Model, status.Unloading));
    }

    [Fact]
    public async Task A_sample_while_a_stream_of_the_same_develop_job_is_open_is_answered()
    {
        _build.BuildJobAndPods(version: 1);
        await using var job = await StartJobAsync(rows: 4);
        await using var stream = job.StreamAsync(batchSize: 1, cancellationToken: Ct).GetAsyncEnumerator(Ct);
        Assert.True(await stream.MoveNextAsync());
        // Calls share the worker; only a reload waits for the running ones.
        Assert.Single((await job.SampleAsync(1, cancellationToken: Ct)).Inputs.Texts);
        int rest = 0;
        while (await stream.MoveNextAsync()) rest++;
        Assert.Equal(3, rest);
    }

    [Fact]
    public async Task A_develop_job_worker_refuses_model_calls_and_a_failed_job_reload_is_loud_until_fixed()
    {
        _build.BuildJobAndPods(version: 1);
        await using var job = await StartJobAsync();
        using (var channel = new ArcChannel(job.Endpoint, job.ClientOptions))
        {
            var call = await Assert.ThrowsAsync<ArcRemoteCallException>(() => new RemoteModelClient<TextData, ClassData>(channel).DescribeAsync(cancellationToken: Ct));
            Assert.Equal(StatusCode.FailedPrecondition, call.StatusCode);
            Assert.Contains("the develop worker serves job 'devjob', not a model", call.Detail);
        }

        _build.BuildModel(answer: 1); // DevSample.dll now registers a model and no job
        var failed = await Assert.ThrowsAsync<ArcReloadException>(() => job.ReloadAsync(Ct));
        Assert.Contains("reloading job 'devjob' in develop worker", failed.Message);
        Assert.Contains("no job named 'devjob' is registered by DevSample (it registers: none)", failed.Message);
        var refused = await Assert.ThrowsAsync<ArcRemoteCallException>(async () => await job.SampleAsync(1, cancellationToken: Ct));
        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Contains("reload 2 of job 'devjob' failed", refused.Detail);

        _build.BuildJobAndPods(version: 3);
        await job.ReloadAsync(Ct);
        Assert.Equal($"v3 {job.ProcessId}", (await job.SampleAsync(1, cancellationToken: Ct)).Inputs.Texts[0]);
    }

    [Fact]
    public async Task Develop_pods_run_in_the_develop_worker_and_a_one_line_change_reaches_the_same_process()
    {
        _build.BuildJobAndPods(version: 1);
        var target = Target.LocalProcessWith(new LocalProcessOptions { Log = _log.Enqueue, ModelAssemblyPath = _build.AssemblyPath });
        await using var worker = await target.DevelopPodsAsync(cancellationToken: Ct);
        int pid = Assert.IsType<int>(worker.ProcessId);
        Assert.NotEqual(Environment.ProcessId, pid);
        Assert.Same(target, worker.Target);

        // The stand-in's generated remote form names the pod; the worker runs the built DevSample's code, not the stand-in's.
        Assert.Equal($"v1 {pid}!", await DevSampleStandIn.WhereRemoteAsync(worker, "!", Ct));

        _build.BuildJobAndPods(version: 2);
        var reload = await worker.ReloadAsync(Ct);
        Assert.Equal((2L, 1), (reload.Version, reload.FilesSent));
        Assert.Equal(pid, worker.ProcessId);
        Assert.Equal($"v2 {pid}?", await DevSampleStandIn.WhereRemoteAsync(worker, "?", Ct));
        Assert.Equal(0, (await worker.StatusAsync(Ct)).Unloading);
    }

    [Fact]
    public async Task A_pods_reload_of_an_assembly_without_pods_fails_loudly()
    {
        _build.BuildJobAndPods(version: 1);
        var target = Target.LocalProcessWith(new LocalProcessOptions { Log = _log.Enqueue, ModelAssemblyPath = _build.AssemblyPath });
        await using var worker = await target.DevelopPodsAsync(cancellationToken: Ct);

        _build.BuildModel(answer: 1);
        var failed = await Assert.ThrowsAsync<ArcReloadException>(() => worker.ReloadAsync(Ct));
        Assert.Contains("reloading the pods of 'DevSample'", failed.Message);
        Assert.Contains("DevSample registers no [Pod] methods", failed.Message);
        var call = await Assert.ThrowsAsync<ArcRemoteCallException>(() => DevSampleStandIn.WhereRemoteAsync(worker, "", Ct));
        Assert.Equal(StatusCode.FailedPrecondition, call.StatusCode);
    }

    [Fact]
    public async Task The_registrations_develop_entry_points_start_this_test_assemblys_job_and_pods_in_a_develop_worker()
    {
        // This test assembly's own build folder travels (once per worker), as for a model.
        var target = Target.LocalProcessWith(Options);
        await using (var job = await WhereaboutsJob.Registration.DevelopAsync(target, new(Count: 2), Ct))
        {
            var sample = await job.SampleAsync(2, cancellationToken: Ct);
            Assert.All(sample.Inputs.Texts, text => Assert.Equal(job.ProcessId, WhereaboutsJob.Parse(text).ProcessId));
            Assert.NotEqual(Environment.ProcessId, job.ProcessId);
            Assert.Equal("whereaboutsjob", job.Name);
        }

        await using var pods = await target.DevelopPodsAsync([TestPods.ProcessIdPod], Ct);
        Assert.Equal(pods.ProcessId, await TestPods.ProcessIdRemoteAsync(pods, Ct));
        Assert.NotEqual(Environment.ProcessId, pods.ProcessId);
    }

    [Fact]
    public async Task Targets_that_cannot_reload_code_refuse_developing_jobs_and_pods_before_anything_starts()
    {
        var kubernetes = Target.Kubernetes(new KubernetesTargetOptions { Image = "localhost:5000/arc/worker:dev" });
        foreach (var target in new[] { Target.InProcess, Target.LoopbackWorker, kubernetes })
        {
            var job = await Assert.ThrowsAsync<NotSupportedException>(async () => await WhereaboutsJob.Registration.DevelopAsync(target, new(), Ct));
            Assert.Equal($"develop mode (hot reload of rebuilt code) runs on Target.LocalProcess and Target.KubernetesDevelop only, not on the {target.Kind} target: " +
                "develop whereaboutsjob with DevelopAsync(Target.LocalProcess, ...) or DevelopAsync(Target.KubernetesDevelop(options), ...), " +
                "or run it as built here with DeployAsync(target, ...)", job.Message);
            var pods = await Assert.ThrowsAsync<NotSupportedException>(async () => await target.DevelopPodsAsync([TestPods.ProcessIdPod], Ct));
            Assert.Contains($"not on the {target.Kind} target: develop the pods with Target.LocalProcess.DevelopPodsAsync(...)", pods.Message);
        }
        Assert.Empty(_log); // no worker was started
    }
}

/// <summary>
/// Stands in for the Roslyn-built DevSample's pod in this process: same name and signature, so its generated remote
/// form calls the pod a develop worker loaded from DevSample. Run here, it would say so.
/// </summary>
public static partial class DevSampleStandIn
{
    /// <summary>What the stand-in answers when it runs in this process (it never should in these tests).</summary>
    [Pod(Name = DevelopSampleBuild.PodName)]
    public static string Where(string suffix) => "the test process" + suffix;

    /// <summary><c>{"rows": n}</c>: DevSample's job parameters in their wire form.</summary>
    public static byte[] RowsParameters(int rows) => [0x81, 0xa4, (byte)'r', (byte)'o', (byte)'w', (byte)'s', checked((byte)rows)];
}
