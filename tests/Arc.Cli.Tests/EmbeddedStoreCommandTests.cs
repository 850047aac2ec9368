using System.Text.Json;
using Arc.Cli.Tests.Support;
using Arc.Tracking;
using Arc.Tracking.Server;
using Xunit;

namespace Arc.Cli.Tests;

/// <summary>
/// The client commands of the real tool (a child process) on an embedded store, <c>--tracking file:&lt;dir&gt;</c> or
/// <c>ARC_TRACKING_URI=file:&lt;dir&gt;</c>, with no server: the SQLite database and blobs that training with that
/// destination writes, written here through the same <see cref="TrackingConnection"/> training uses.
/// </summary>
public sealed class EmbeddedStoreCommandTests : IDisposable
{
    private readonly Scratch _scratch = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private string Store => "file:" + _scratch["runs"];

    public void Dispose() => _scratch.Dispose();

    private Task<ToolResult> Arc(params string[] args) => ArcTool.RunAsync(_scratch.Root, null, args);

    private async Task<JsonElement> ArcJson(params string[] args)
    {
        var result = await Arc([.. args, "--json"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonDocument.Parse(result.Output).RootElement.Clone();
    }

    /// <summary>A finished run with a loss series and a registered model, as a training leaves them.</summary>
    private async Task<Experiment> RecordRunAsync(string name)
    {
        await using var connection = await TrackingConnection.OpenAsync(Store, Cancel);
        var experiment = await connection.Store.CreateExperimentAsync(new ExperimentDraft("vision", name, "me@example.com")
        {
            Framework = "torchsharp",
            Hyperparameters = new Dictionary<string, HyperparameterValue> { ["hidden"] = 64, ["lr"] = 0.001 },
        }, Cancel);
        await connection.Store.LogMetricsAsync(new MetricBatch(experiment.Id,
            Enumerable.Range(1, 5).Select(step => new MetricPoint("train/loss", step, DateTimeOffset.UtcNow, 1.0 / step))), Cancel);
        await connection.Store.SetExperimentStatusAsync(experiment.Id, ExperimentStatus.Finished, cancellationToken: Cancel);
        if (await connection.Store.FindModelAsync("vision", "digits", Cancel) is null)
            await connection.Store.CreateModelAsync(new RegisteredModelDraft("vision", "digits", "me@example.com"), Cancel);
        return experiment;
    }

    [Fact]
    public async Task Experiments_metrics_and_models_are_read_from_a_file_store_with_no_server()
    {
        var recorded = await RecordRunAsync("mlp-run");

        var experiments = await ArcJson("experiments", "list", "--tracking", Store);
        var listed = Assert.Single(experiments.EnumerateArray());
        Assert.Equal(recorded.Id, listed.GetProperty("id").GetString());
        Assert.Equal("Finished", listed.GetProperty("status").GetString());

        var shown = await ArcJson("experiments", "show", "vision/mlp-run", "--tracking", Store);
        Assert.Equal(64, shown.GetProperty("hyperparameters").GetProperty("hidden").GetInt64());

        var series = await ArcJson("metrics", "show", "vision/mlp-run", "train/loss", "--tracking", Store);
        Assert.Equal([1L, 2, 3, 4, 5], series.EnumerateArray().Select(p => p.GetProperty("step").GetInt64()));
        Assert.Equal(0.25, series[3].GetProperty("value").GetDouble());

        // The destination from the environment, as training reads it; a table by default.
        var table = await ArcTool.RunAsync(_scratch.Root, new Dictionary<string, string> { ["ARC_TRACKING_URI"] = Store }, "models", "list");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("digits", table.Output);
    }

    [Fact]
    public async Task A_folder_without_a_store_ends_5_and_stays_empty_and_a_token_is_refused()
    {
        string nothing = _scratch["nothing"];
        var missing = await Arc("experiments", "list", "--tracking", "file:" + nothing);
        Assert.Equal(5, missing.ExitCode);
        Assert.Contains($"no tracking store at file:{nothing}", missing.Error);
        Assert.Contains("training with --tracking", missing.Error);
        Assert.False(Directory.Exists(nothing));

        await RecordRunAsync("run");
        var token = await Arc("experiments", "list", "--tracking", Store, "--token", "secret");
        Assert.Equal(2, token.ExitCode);
        Assert.Contains("--token is for a tracking server", token.Error);
    }

    [Fact]
    public async Task Events_watch_on_a_file_store_prints_the_log_then_what_another_process_writes()
    {
        await RecordRunAsync("first");
        using var watch = System.Diagnostics.Process.Start(ArcTool.StartInfo(_scratch.Root,
            ["events", "watch", "--tracking", Store, "--kind", "experiment.created", "--json"]))!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        timeout.CancelAfter(TimeSpan.FromMinutes(1));
        try
        {
            var before = JsonDocument.Parse((await watch.StandardOutput.ReadLineAsync(timeout.Token))!).RootElement.Clone();
            Assert.Equal("first", before.GetProperty("payload").GetProperty("name").GetString());

            // Written by this process while the tool watches: it finds it on its next read of the log.
            await RecordRunAsync("second");
            var after = JsonDocument.Parse((await watch.StandardOutput.ReadLineAsync(timeout.Token))!).RootElement.Clone();
            Assert.Equal("second", after.GetProperty("payload").GetProperty("name").GetString());
            Assert.True(after.GetProperty("id").GetInt64() > before.GetProperty("id").GetInt64());
        }
        finally
        {
            watch.Kill(entireProcessTree: true);
            await watch.WaitForExitAsync(CancellationToken.None);
        }
    }
}
