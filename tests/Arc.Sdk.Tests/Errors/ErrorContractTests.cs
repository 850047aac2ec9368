using System.Diagnostics;
using Grpc.Core;
using k8s;
using Arc.Remote;
using Arc.Types;

namespace Arc.Sdk.Tests.Errors;

/// <summary>
/// The error contract of docs/errors.md, one matrix over every target: the same mistake gives the same exception with
/// the same text in process, on a loopback worker, in a worker process, in develop mode and in a pod, and no
/// <see cref="RpcException"/> reaches the caller. Each expectation is taken from the local model itself where it has
/// one, so "the same as locally" is checked, not restated.
/// </summary>
public sealed class ErrorContractTests(ContractTargets targets) : IClassFixture<ContractTargets>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly double[] Three = [1.5, -2, 0.25];

    [Theory]
    [MemberData(nameof(ContractTargets.All), MemberType = typeof(ContractTargets))]
    public async Task Null_arguments_are_ArgumentNullException_naming_the_callers_parameter_before_anything_is_sent(string target)
    {
        var model = await targets.SharedAsync(target);
        var x = ContractModel.Table(ContractModel.Answer, Three);
        var y = ContractModel.Targets(Three);

        Assert.Equal("x", FailsAtOnce<ArgumentNullException>(() => model.FitAsync(null!, y, Ct)).ParamName);
        Assert.Equal("y", FailsAtOnce<ArgumentNullException>(() => model.FitAsync(x, null!, Ct)).ParamName);
        Assert.Equal("x", FailsAtOnce<ArgumentNullException>(() => model.PredictAsync(null!, Ct)).ParamName);
        Assert.Equal("destination", FailsAtOnce<ArgumentNullException>(() => model.SaveWeightsAsync(null!, Ct)).ParamName);
        Assert.Equal("source", FailsAtOnce<ArgumentNullException>(() => model.LoadWeightsAsync(null!, Ct)).ParamName);
        var batches = await Assert.ThrowsAsync<ArgumentNullException>(async () => { await foreach (var _ in model.FitBatchesAsync(null!, Ct)) { } });
        Assert.Equal("batches", batches.ParamName);

        await AssertStillServesAsync(model);
    }

    [Theory]
    [MemberData(nameof(ContractTargets.All), MemberType = typeof(ContractTargets))]
    public async Task Inputs_and_targets_of_different_lengths_are_ArgumentException_with_the_local_text_before_anything_is_sent(string target)
    {
        var model = await targets.SharedAsync(target);
        var x = ContractModel.Table(ContractModel.Answer, Three);
        var y = ContractModel.Targets(1, 2);
        using var local = new ContractModel();
        var expected = await Assert.ThrowsAsync<ArgumentException>(async () => await local.FitAsync(x, y, Ct));
        Assert.Equal("3 inputs but 2 targets (Parameter 'y')", expected.Message);

        AssertSame(expected, FailsAtOnce<ArgumentException>(() => model.FitAsync(x, y, Ct)));
        var streamed = await Assert.ThrowsAsync<ArgumentException>(async () =>
        {
            await foreach (var _ in model.FitBatchesAsync(Batches(new Batch<TableData, ClassData>(x, ContractModel.Targets(Three)), new(x, y)), Ct)) { }
        });
        AssertSame(expected, streamed);

        await AssertStillServesAsync(model);
    }

    [Theory]
    [MemberData(nameof(ContractTargets.All), MemberType = typeof(ContractTargets))]
    public async Task A_shape_the_model_refuses_is_ArgumentException_with_the_local_text(string target)
    {
        var model = await targets.SharedAsync(target);
        var wrongShape = new TableData([TableColumn.FromValues("value", new float[] { 1, 2 })]); // float32, not float64
        using var local = new ContractModel();
        var expected = Assert.Throws<ArgumentException>(() => local.Predict(wrongShape));

        var predict = await Assert.ThrowsAsync<ArgumentException>(async () => await model.PredictAsync(wrongShape, Ct));
        AssertSame(expected, predict);
        var fit = await Assert.ThrowsAsync<ArgumentException>(async () => await model.FitAsync(wrongShape, ContractModel.Targets(1, 2), Ct));
        AssertSame(expected, fit);

        await AssertStillServesAsync(model);
    }

    [Theory]
    [MemberData(nameof(ContractTargets.All), MemberType = typeof(ContractTargets))]
    public async Task A_cancelled_token_is_OperationCanceledException_carrying_that_token(string target)
    {
        var model = await targets.SharedAsync(target);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var x = ContractModel.Table(ContractModel.Answer, Three);

        var predict = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await model.PredictAsync(x, cancelled.Token));
        Assert.Equal(cancelled.Token, predict.CancellationToken);
        var fit = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await model.FitAsync(x, ContractModel.Targets(Three), cancelled.Token));
        Assert.Equal(cancelled.Token, fit.CancellationToken);

        await AssertStillServesAsync(model);
    }

    [Theory]
    [MemberData(nameof(ContractTargets.Remote), MemberType = typeof(ContractTargets))]
    public async Task Cancelling_during_a_call_and_a_passed_deadline_are_OperationCanceledException_keeping_the_RpcException(string target)
    {
        var model = await targets.SharedAsync(target);
        var stall = ContractModel.Table(ContractModel.Stall, Three);

        using (var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100)))
        {
            var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await model.PredictAsync(stall, cancel.Token));
            Assert.Equal(cancel.Token, e.CancellationToken);
            Assert.Equal(StatusCode.Cancelled, Assert.IsType<RpcException>(e.InnerException).StatusCode);
        }

        var (client, channel) = ContractTargets.ProtocolClient(model);
        using (channel)
        {
            var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(
                () => client.PredictAsync(stall, deadline: DateTime.UtcNow.AddMilliseconds(100), cancellationToken: Ct));
            Assert.Equal(StatusCode.DeadlineExceeded, Assert.IsType<RpcException>(e.InnerException).StatusCode);
        }

        await AssertStillServesAsync(model);
    }

    [Theory]
    [MemberData(nameof(ContractTargets.All), MemberType = typeof(ContractTargets))]
    public async Task A_model_exception_is_itself_in_process_and_ArcRemoteException_with_its_type_and_message_remotely(string target)
    {
        var model = await targets.SharedAsync(target);
        var fail = ContractModel.Table(ContractModel.Fail, Three);

        var e = await Record.ExceptionAsync(async () => await model.PredictAsync(fail, Ct));

        if (target == ContractTargets.InProcess)
        {
            Assert.Equal(ContractModel.FailureMessage, Assert.IsType<InvalidOperationException>(e).Message);
        }
        else
        {
            var remote = Assert.IsType<ArcRemoteException>(e);
            Assert.Equal(typeof(InvalidOperationException).FullName, remote.RemoteType);
            Assert.Equal(ContractModel.FailureMessage, remote.RemoteMessage);
            Assert.Equal("/arc.Model/Predict", remote.Method);
        }
        await AssertStillServesAsync(model);
    }

    [Theory]
    [InlineData(ContractTargets.LocalProcess)]
    [InlineData(ContractTargets.Develop)]
    public async Task A_worker_that_dies_during_a_call_is_ArcWorkerExitedException_with_its_exit_code(string target)
    {
        await using var model = await targets.DeployFreshAsync(target);
        int pid = Assert.IsType<int>(model.WorkerProcessId);
        Assert.NotEqual(Environment.ProcessId, pid);

        var e = await Assert.ThrowsAsync<ArcWorkerExitedException>(async () => await model.PredictAsync(ContractModel.Table(ContractModel.Exit, Three), Ct));

        Assert.Equal(pid, e.ProcessId);
        Assert.Equal(ContractModel.ExitCode, e.ExitCode);
        Assert.Equal("contractmodel", e.ModelName);
        Assert.Contains("during Predict", e.Message);
        // The next call knows the worker is gone, at once.
        Assert.Equal(pid, (await Assert.ThrowsAsync<ArcWorkerExitedException>(async () => await model.PredictAsync(ContractModel.Table(ContractModel.Answer, Three), Ct))).ProcessId);
    }

    [Fact]
    public async Task A_pod_that_is_gone_is_ArcWorkerUnavailableException()
    {
        var cluster = await targets.ClusterAsync();
        var before = (await cluster.LivePodsAsync(Ct)).Select(p => p.Metadata.Name).ToHashSet();
        await using var model = await targets.DeployFreshAsync(ContractTargets.Kubernetes);
        var x = ContractModel.Table(ContractModel.Answer, Three);
        await model.PredictAsync(x, Ct);
        var pod = Assert.Single(await cluster.LivePodsAsync(Ct), p => !before.Contains(p.Metadata.Name));

        // Deleted at once (the fake stops the worker's process before it answers; a real cluster kills it right after).
        await cluster.Client.CoreV1.DeleteNamespacedPodAsync(pod.Metadata.Name, cluster.Namespace, gracePeriodSeconds: 0, cancellationToken: Ct);

        Exception? error = null;
        for (var waited = Stopwatch.StartNew(); error is null && waited.Elapsed < TimeSpan.FromSeconds(60); await Task.Delay(100, Ct))
            error = await Record.ExceptionAsync(async () => await model.PredictAsync(x, Ct));
        Assert.IsType<ArcWorkerUnavailableException>(error);
    }

    [Theory]
    [MemberData(nameof(ContractTargets.All), MemberType = typeof(ContractTargets))]
    public async Task A_disposed_model_is_ObjectDisposedException_for_every_call(string target)
    {
        var model = await targets.DeployFreshAsync(target);
        var x = ContractModel.Table(ContractModel.Answer, Three);
        await model.PredictAsync(x, Ct);
        await model.DisposeAsync();
        await model.DisposeAsync(); // twice is fine

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await model.PredictAsync(x, Ct));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await model.FitAsync(x, ContractModel.Targets(Three), Ct));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await model.SaveWeightsAsync(new MemoryStream(), Ct));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await model.LoadWeightsAsync(new MemoryStream([1]), Ct));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () =>
        {
            await foreach (var _ in model.FitBatchesAsync(Batches(new Batch<TableData, ClassData>(x, ContractModel.Targets(Three))), Ct)) { }
        });
    }

    /// <summary>
    /// The exception of a call that must fail before it does anything: thrown by the call, or in a task that is already
    /// complete when the call returns (a call that went out to a worker cannot be).
    /// </summary>
    private static T FailsAtOnce<T>(Func<ValueTask> call) where T : Exception
    {
        ValueTask pending;
        try
        {
            pending = call();
        }
        catch (Exception e)
        {
            return Assert.IsType<T>(e);
        }
        Assert.True(pending.IsCompleted, "the call was not refused at once: it went out");
        return Assert.IsType<T>(Record.Exception(() => pending.GetAwaiter().GetResult()));
    }

    private static T FailsAtOnce<T>(Func<ValueTask<FitResult>> call) where T : Exception => FailsAtOnce<T>(() => Discard(call()));

    private static T FailsAtOnce<T>(Func<ValueTask<ClassData>> call) where T : Exception => FailsAtOnce<T>(() => Discard(call()));

    // Keeps a completed task completed (an await would not return before the caller looks).
    private static ValueTask Discard<TResult>(ValueTask<TResult> task) => task.IsCompleted ? Completed(task) : new ValueTask(task.AsTask());

    private static ValueTask Completed<TResult>(ValueTask<TResult> task)
    {
        try
        {
            task.GetAwaiter().GetResult();
            return ValueTask.CompletedTask;
        }
        catch (Exception e)
        {
            return ValueTask.FromException(e);
        }
    }

    private static void AssertSame(ArgumentException expected, ArgumentException actual)
    {
        Assert.Equal(expected.GetType(), actual.GetType());
        Assert.Equal(expected.Message, actual.Message);
        Assert.Equal(expected.ParamName, actual.ParamName);
    }

    private static async IAsyncEnumerable<Batch<TableData, ClassData>> Batches(params Batch<TableData, ClassData>[] batches)
    {
        foreach (var batch in batches)
        {
            await Task.Yield();
            yield return batch;
        }
    }

    // Servers keep serving after a bad request: the same model answers a good one right after.
    private static async Task AssertStillServesAsync(ContractModel.Client model)
    {
        var predicted = await model.PredictAsync(ContractModel.Table(ContractModel.Answer, Three), Ct);
        Assert.Equal([1L, 0L, 1L], predicted.IndexSpan.ToArray());
    }
}
