using System.Text.Json;
using Arc.Cli.Tests.Support;
using Arc.Tracking;
using Xunit;

namespace Arc.Cli.Tests;

/// <summary>
/// The client commands of the real tool against a real <c>arc server start</c> (both child processes, loopback only):
/// tables by default, JSON with <c>--json</c> (parsed here), and the exit codes of docs/command-line.md.
/// </summary>
public sealed class ClientCommandTests : IAsyncLifetime
{
    private readonly Scratch _scratch = new();
    private ArcServerProcess _server = null!;
    private Dictionary<string, string> _env = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _server = await ArcServerProcess.StartAsync(_scratch.Root, await ServerConfigs.WriteAsync(_scratch), Cancel);
        _env = new Dictionary<string, string> { ["ARC_TRACKING_URI"] = _server.Address.ToString() };
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        _scratch.Dispose();
    }

    private Task<ToolResult> Arc(params string[] args) => ArcTool.RunAsync(_scratch.Root, _env, args);

    private async Task<JsonElement> ArcJson(params string[] args)
    {
        var result = await Arc([.. args, "--json"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonDocument.Parse(result.Output).RootElement.Clone();
    }

    [Fact]
    public async Task Experiments_are_created_listed_and_shown_with_typed_hyperparameters()
    {
        var created = await Arc("experiments", "create", "-n", "vision", "--name", "mlp", "--owner", "me@example.com",
            "--framework", "torchsharp", "--param", "lr=0.001", "--param", "hidden=64", "--param", "shuffle=true", "--param", "optimizer=adam");
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.StartsWith("created experiment vision/mlp (id ", created.Output);
        await Arc("experiments", "create", "-n", "nlp", "--name", "bert");

        var list = await Arc("experiments", "list");
        Assert.True(list.ExitCode == 0, list.ToString());
        var rows = list.Output.Split('\n').Where(l => l.Contains("Running")).ToArray();
        Assert.Equal(2, rows.Length);
        Assert.Contains("vision", rows[0]);
        Assert.Contains("mlp", rows[0]);
        Assert.Contains("me@example.com", rows[0]);
        Assert.Contains("ID", list.Output);

        var only = await ArcJson("experiments", "list", "--namespace", "nlp");
        Assert.Equal("bert", Assert.Single(only.EnumerateArray()).GetProperty("name").GetString());

        var shown = await ArcJson("experiments", "show", "vision/mlp");
        Assert.Equal("torchsharp", shown.GetProperty("framework").GetString());
        Assert.Equal("Running", shown.GetProperty("status").GetString());
        var hp = shown.GetProperty("hyperparameters");
        Assert.Equal(0.001, hp.GetProperty("lr").GetDouble());
        Assert.Equal(64, hp.GetProperty("hidden").GetInt64());
        Assert.Equal(JsonValueKind.True, hp.GetProperty("shuffle").ValueKind);
        Assert.Equal("adam", hp.GetProperty("optimizer").GetString());

        // The same experiment by its id, as a table.
        string id = shown.GetProperty("id").GetString()!;
        var byId = await Arc("experiments", "show", id);
        Assert.True(byId.ExitCode == 0, byId.ToString());
        Assert.Contains("hidden", byId.Output);
        Assert.Contains("long", byId.Output);
        Assert.Contains("double", byId.Output);

        var taken = await Arc("experiments", "create", "-n", "vision", "--name", "mlp");
        Assert.Equal(6, taken.ExitCode);
        Assert.Contains("arc: error:", taken.Error);
        Assert.Contains("mlp", taken.Error);
        var missing = await Arc("experiments", "show", "vision/nope");
        Assert.Equal(5, missing.ExitCode);
        Assert.Contains("namespace 'vision' has no experiment named 'nope'", missing.Error);
        var invalid = await Arc("experiments", "create", "-n", "Not A Namespace", "--name", "x");
        Assert.Equal(2, invalid.ExitCode);
        Assert.Contains("Not A Namespace", invalid.Error);
    }

    [Fact]
    public async Task Metrics_show_prints_a_series_in_step_order_with_nan_and_infinities()
    {
        using var client = new TrackingServerClient(_server.Address);
        var experiment = await client.CreateExperimentAsync(new ExperimentDraft("vision", "cnn", "me@example.com"), Cancel);
        var t = DateTimeOffset.UtcNow;
        double[] values = [2.5, 1.25, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.125];
        await client.LogMetricsAsync(new MetricBatch(experiment.Id, values.Select((v, i) => new MetricPoint("train/loss", i + 1, t, v))), Cancel);
        await client.LogMetricsAsync(new MetricBatch(experiment.Id, [new MetricPoint("acc", 1, t, 0.5)]), Cancel);

        var points = (await ArcJson("metrics", "show", "vision/cnn", "train/loss")).EnumerateArray().ToArray();
        Assert.Equal([1L, 2, 3, 4, 5, 6], points.Select(p => p.GetProperty("step").GetInt64()));
        Assert.Equal(2.5, points[0].GetProperty("value").GetDouble());
        Assert.Equal("NaN", points[2].GetProperty("value").GetString());
        Assert.Equal("Infinity", points[3].GetProperty("value").GetString());
        Assert.Equal("-Infinity", points[4].GetProperty("value").GetString());
        Assert.All(points, p => Assert.Equal("train/loss", p.GetProperty("key").GetString()));

        var range = (await ArcJson("metrics", "show", experiment.Id, "train/loss", "--from", "2", "--to", "3")).EnumerateArray().ToArray();
        Assert.Equal([2L, 3], range.Select(p => p.GetProperty("step").GetInt64()));

        var table = await Arc("metrics", "show", "vision/cnn", "train/loss");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("-Infinity", table.Output);
        Assert.Contains("0.125", table.Output);

        var latest = (await ArcJson("experiments", "show", "vision/cnn")).GetProperty("latestMetrics").EnumerateArray().ToArray();
        Assert.Equal(["acc", "train/loss"], latest.Select(p => p.GetProperty("key").GetString()));
        Assert.Empty((await ArcJson("metrics", "show", "vision/cnn", "no/such/key")).EnumerateArray());
    }

    [Fact]
    public async Task Models_and_versions_are_created_listed_shown_and_labelled()
    {
        var created = await Arc("models", "create", "-n", "vision", "--name", "digits", "--task", "classification",
            "--description", "MNIST digits", "--label", "team=vision", "--label", "stage=dev");
        Assert.True(created.ExitCode == 0, created.ToString());
        var model = await ArcJson("models", "show", "vision/digits");
        Assert.Equal("classification", model.GetProperty("task").GetString());
        Assert.Equal("dev", model.GetProperty("labels").GetProperty("stage").GetString());
        Assert.Equal("digits", Assert.Single((await ArcJson("models", "list")).EnumerateArray()).GetProperty("name").GetString());
        Assert.Contains("team=vision", (await Arc("models", "list")).Output);

        using var client = new TrackingServerClient(_server.Address);
        var experiment = await client.CreateExperimentAsync(new ExperimentDraft("vision", "run-1", "me@example.com"), Cancel);
        string modelId = model.GetProperty("id").GetString()!;
        await client.CreateModelVersionAsync(new ModelVersionDraft(modelId)
        {
            ArtifactReference = "registry.example.internal/digits:1",
            Metrics = new Dictionary<string, double> { ["accuracy"] = 0.97 },
            Lineage = new ModelLineage(experimentId: experiment.Id, job: "mnist"),
        }, Cancel);
        await client.CreateModelVersionAsync(new ModelVersionDraft(modelId), Cancel);

        var versions = (await ArcJson("versions", "list", "vision/digits")).EnumerateArray().ToArray();
        Assert.Equal([1, 2], versions.Select(v => v.GetProperty("version").GetInt32()));
        var first = await ArcJson("versions", "show", "vision/digits", "1");
        Assert.Equal(experiment.Id, first.GetProperty("lineage").GetProperty("experimentId").GetString());
        Assert.Equal(0.97, first.GetProperty("metrics").GetProperty("accuracy").GetDouble());

        var labelled = await ArcJson("versions", "label", "vision/digits", "1", "stage=production", "approved=yes");
        Assert.Equal("production", labelled.GetProperty("labels").GetProperty("stage").GetString());
        var removed = await ArcJson("versions", "label", "vision/digits", "1", "--remove", "approved");
        Assert.False(removed.GetProperty("labels").TryGetProperty("approved", out _));
        Assert.Equal("production", (await client.GetModelVersionAsync(first.GetProperty("id").GetString()!, Cancel)).Labels["stage"]);

        var table = await Arc("versions", "show", "vision/digits", "1");
        Assert.Contains("registry.example.internal/digits:1", table.Output);
        Assert.Contains("stage", table.Output);

        Assert.Equal(5, (await Arc("versions", "show", "vision/digits", "3")).ExitCode);
        Assert.Equal(5, (await Arc("versions", "label", "vision/digits", "1", "--remove", "never-set")).ExitCode);
        Assert.Equal(2, (await Arc("versions", "label", "vision/digits", "1")).ExitCode);
        Assert.Equal(6, (await Arc("models", "create", "-n", "vision", "--name", "digits")).ExitCode);
        Assert.Equal(5, (await Arc("models", "show", "vision/none")).ExitCode);
    }

    [Fact]
    public async Task Events_watch_prints_the_log_and_new_events_as_json_lines_until_SIGTERM()
    {
        await Arc("models", "create", "-n", "vision", "--name", "digits");
        using var watch = System.Diagnostics.Process.Start(ArcTool.StartInfo(_scratch.Root,
            ["events", "watch", "--namespace", "vision", "--from", "1", "--json"], _env))!;
        var lines = new List<JsonElement>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        timeout.CancelAfter(TimeSpan.FromMinutes(1));

        // After event 1 (namespace.created): model.created, then the experiment created while watching.
        lines.Add(JsonDocument.Parse((await watch.StandardOutput.ReadLineAsync(timeout.Token))!).RootElement.Clone());
        await Arc("experiments", "create", "-n", "vision", "--name", "live");
        await Arc("experiments", "create", "-n", "other", "--name", "hidden");
        await Arc("experiments", "create", "-n", "vision", "--name", "live-2");
        lines.Add(JsonDocument.Parse((await watch.StandardOutput.ReadLineAsync(timeout.Token))!).RootElement.Clone());
        lines.Add(JsonDocument.Parse((await watch.StandardOutput.ReadLineAsync(timeout.Token))!).RootElement.Clone());

        Assert.Equal(["model.created", "experiment.created", "experiment.created"], lines.Select(l => l.GetProperty("kind").GetString()));
        Assert.Equal([2L, 3, 6], lines.Select(l => l.GetProperty("id").GetInt64()));
        Assert.All(lines, l => Assert.Equal("vision", l.GetProperty("namespace").GetString()));
        Assert.Equal("live-2", lines[2].GetProperty("payload").GetProperty("name").GetString());

        Assert.Equal(0, Kill(watch.Id, 15));
        await watch.WaitForExitAsync(timeout.Token);
        Assert.Equal(0, watch.ExitCode);
    }

    [Fact]
    public async Task Usage_errors_end_2_and_an_unreachable_server_ends_3()
    {
        var unknown = await Arc("experiemnts", "list");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("Did you mean", unknown.Error);
        Assert.Contains("experiments", unknown.Error);
        Assert.Empty(unknown.Output);
        Assert.Contains("Run 'arc --help' for usage.", unknown.Error);

        var missing = await Arc("experiments", "create", "--name", "x");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("--namespace", missing.Error);
        Assert.Contains("Run 'arc experiments create --help' for usage.", missing.Error);

        var badType = await Arc("metrics", "show", "a/b", "loss", "--from", "ten");
        Assert.Equal(2, badType.ExitCode);
        Assert.Contains("ten", badType.Error);

        var badServer = await Arc("experiments", "list", "--server", "ftp://127.0.0.1:1");
        Assert.Equal(2, badServer.ExitCode);
        Assert.Contains("is not an http:// or https:// address (from --server)", badServer.Error);

        var badParam = await Arc("experiments", "create", "-n", "a", "--name", "b", "--param", "novalue");
        Assert.Equal(2, badParam.ExitCode);
        Assert.Contains("--param 'novalue' is not key=value", badParam.Error);

        // A port nothing listens on: take a free one and release it.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var down = await Arc("experiments", "list", "--server", $"http://127.0.0.1:{port}");
        Assert.Equal(3, down.ExitCode);
        Assert.Contains($"cannot reach the tracking server at http://127.0.0.1:{port}/", down.Error);

        var help = await Arc("--help");
        Assert.Equal(0, help.ExitCode);
        foreach (string command in new[] { "server", "experiments", "metrics", "models", "versions", "events" })
            Assert.Contains(command, help.Output);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
