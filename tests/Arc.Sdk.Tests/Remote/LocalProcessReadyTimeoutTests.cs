using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Sdk.Tests.Remote;

/// <summary>Target.LocalProcess when the worker never gets ready: the wait ends at the ready timeout and leaves no process.</summary>
public sealed partial class LocalProcessReadyTimeoutTests
{
    [Fact]
    public async Task A_model_whose_constructor_blocks_times_out_naming_the_worker_and_leaves_no_process()
    {
        var log = new ConcurrentQueue<string>();
        var target = Target.LocalProcessWith(new LocalProcessOptions { ReadyTimeout = TimeSpan.FromSeconds(5), Log = log.Enqueue });
        var registration = Assert.IsType<ModelRegistration<SlowStartModel, SlowStartModel.Hyperparameters, ImageData, ClassData>>(
            ArcRegistry.FindModel("slowstartmodel"));

        var error = await Assert.ThrowsAsync<TimeoutException>(async () =>
            await registration.DeployAsync(target, new SlowStartModel.Hyperparameters(), TestContext.Current.CancellationToken));

        Assert.Contains("worker 'slowstartmodel'", error.Message);
        Assert.Contains("not ready after 00:00:05", error.Message);
        // The worker did reach the constructor: the timeout ended a blocked model, not a slow process start.
        Assert.Contains(log, line => line.EndsWith(SlowStartModel.ConstructorStarted, StringComparison.Ordinal));
        int pid = int.Parse(Pid().Match(error.Message).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(PodTests.IsGone(pid), $"worker process {pid} is still running");
    }

    [GeneratedRegex(@"\(pid (\d+)\)")]
    private static partial Regex Pid();
}
