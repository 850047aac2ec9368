namespace Arc.Sdk.Tests.Remote;

/// <summary>
/// A worker gets a 2 MiB large-object threshold wherever it is started from: Arc.Worker's own runtimeconfig.json has it,
/// a worker run with a package consumer's copy of the program's runtimeconfig.json gets it through the environment,
/// and a threshold the caller or that runtimeconfig chose is kept.
/// </summary>
public sealed class WorkerGcSettingsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("arc-worker-gc-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string WorkerWith(string runtimeConfig)
    {
        string worker = Path.Combine(_folder, "Arc.Worker.dll");
        File.WriteAllText(Path.Combine(_folder, "Arc.Worker.runtimeconfig.json"), runtimeConfig);
        return worker;
    }

    [Fact]
    public void Arc_Workers_own_runtimeconfig_sets_the_threshold_so_no_variable_is_added()
    {
        string worker = WorkerProcess.WorkerPathOf(new LocalProcessOptions());
        Assert.Contains("\"System.GC.LOHThreshold\": 2097152", File.ReadAllText(Path.ChangeExtension(worker, ".runtimeconfig.json")));
        var environment = new Dictionary<string, string?>();
        WorkerGcSettings.Apply(environment, worker);
        Assert.Empty(environment);
    }

    [Theory]
    [InlineData("""{"runtimeOptions":{"tfm":"net10.0","configProperties":{"System.GC.Concurrent":false}}}""")]
    [InlineData("""{"runtimeOptions":{"tfm":"net10.0"}}""")]
    [InlineData("not JSON")]
    public void A_runtimeconfig_without_a_threshold_gets_the_variable(string runtimeConfig)
    {
        var environment = new Dictionary<string, string?>();
        WorkerGcSettings.Apply(environment, WorkerWith(runtimeConfig));
        Assert.Equal("0x200000", environment[WorkerGcSettings.LargeObjectThresholdVariable]);
        Assert.Equal(2 * 1024 * 1024, Convert.ToInt32(environment[WorkerGcSettings.LargeObjectThresholdVariable], 16));
    }

    [Fact]
    public void A_missing_runtimeconfig_gets_the_variable()
    {
        var environment = new Dictionary<string, string?>();
        WorkerGcSettings.Apply(environment, Path.Combine(_folder, "Elsewhere.dll"));
        Assert.Equal("0x200000", environment[WorkerGcSettings.LargeObjectThresholdVariable]);
    }

    [Fact]
    public void A_worker_images_variables_are_weighed_like_a_callers_environment()
    {
        string worker = WorkerWith("{}");
        Assert.Equal(new KeyValuePair<string, string>("DOTNET_GCLOHThreshold", "0x200000"), WorkerGcSettings.Missing(["HOME", "PATH"], worker));
        Assert.Null(WorkerGcSettings.Missing(["HOME", "DOTNET_GCLOHThreshold"], worker));
        Assert.Null(WorkerGcSettings.Missing([], WorkerProcess.WorkerPathOf(new LocalProcessOptions())));
    }

    [Fact]
    public void A_threshold_the_runtimeconfig_or_the_caller_chose_is_kept()
    {
        var environment = new Dictionary<string, string?>();
        WorkerGcSettings.Apply(environment, WorkerWith("""{"runtimeOptions":{"configProperties":{"System.GC.LOHThreshold":100000}}}"""));
        Assert.Empty(environment);

        foreach (string variable in new[] { "DOTNET_GCLOHThreshold", "COMPlus_GCLOHThreshold" })
        {
            environment = new Dictionary<string, string?> { [variable] = "0x30000" };
            WorkerGcSettings.Apply(environment, WorkerWith("{}"));
            Assert.Equal(new Dictionary<string, string?> { [variable] = "0x30000" }, environment);
        }
    }
}
