using System.Reflection;
using Arc.Generators.Tests.Infrastructure;
using Arc.Sdk;

namespace Arc.Generators;

/// <summary>
/// Compiles the <c>Clients</c> golden input (models and a job whose constructor parameters clash with DeployAsync's
/// own names, one model without parameters) with its generated code, and runs its <c>Driver</c>, which calls the
/// generated <c>DeployAsync</c> and <c>DevelopAsync</c> entry points and typed clients as a user would, on each
/// in-process target. (Develop mode itself runs on <c>Target.LocalProcess</c>: Arc.Sdk.Tests' DevelopModeTests.)
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class DeployAsyncTests
{
    public static TheoryData<string> Targets => new("in-process", "loopback-worker");

    private static Target TargetNamed(string kind) => kind switch
    {
        "in-process" => Target.InProcess,
        "loopback-worker" => Target.LoopbackWorker,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static InMemoryAssembly LoadClients()
    {
        string source = File.ReadAllText(Path.Combine(SourcePaths.GoldenDirectory, "Clients", "input.cs"));
        var outcome = GeneratorHarness.Run(source, "GoldenClients");
        outcome.AssertClean();
        return InMemoryAssembly.Load(outcome.Output);
    }

    private static async Task<dynamic> DriveAsync(InMemoryAssembly loaded, string method, params object[] arguments)
    {
        var driver = loaded.Assembly.GetType("Samples.Clients.Driver", throwOnError: true)!;
        var task = (Task)driver.GetMethod(method, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, arguments)!;
        await task;
        return ((dynamic)task).Result;
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task A_deployed_model_predicts_what_a_local_one_with_the_same_arguments_predicts(string kind)
    {
        using var loaded = LoadClients();
        float[] values = [0f, 0.1f, 0.2f, 0.5f, 1f];

        var result = await DriveAsync(loaded, "PredictAsync", TargetNamed(kind), values);

        // The rule, computed here: high when pixel * scale (2) exceeds the cutoff (0.25).
        long[] expected = values.Select(v => v * 2 > 0.25 ? 1L : 0L).ToArray();
        Assert.Equal(expected, (long[])result.Item1);
        Assert.Equal(expected, (long[])result.Item2);
        Assert.Equal(0.25, (double)result.Item3.Target);
        Assert.Equal(2.0, (double)result.Item3.Scale);
        Assert.Equal(7, (int)result.Item3.CancellationToken);
        Assert.True((bool)result.Item3.Checked);
        Assert.StartsWith("Samples.Clients.Cutoff client on " + kind + ": ", (string)result.Item4);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task A_deployed_model_fits_and_saves_its_weights_through_the_typed_client(string kind)
    {
        using var loaded = LoadClients();
        float[] values = [0.1f, 0.2f, 0.6f];

        var result = await DriveAsync(loaded, "FitAsync", TargetNamed(kind), values);

        double mean = values.Select(v => (double)v).Average();
        Assert.Equal(mean, (double)result.Item1, 6);
        Assert.Equal(values.Select(v => v > mean ? 1L : 0L).ToArray(), (long[])result.Item2);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task A_model_without_parameters_is_deployed_from_the_target_alone(string kind)
    {
        using var loaded = LoadClients();

        var result = await DriveAsync(loaded, "AlwaysLowAsync", TargetNamed(kind));

        Assert.Equal("alwayslow", (string)result.Item1);
        Assert.Equal(new long[] { 0, 0 }, (long[])result.Item2);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task A_deployed_job_streams_the_local_jobs_batches_and_evaluates_remote_and_local_models_alike(string kind)
    {
        using var loaded = LoadClients();

        var result = await DriveAsync(loaded, "JobAsync", TargetNamed(kind), 10);

        float[] ramp = Enumerable.Range(0, 10).Select(i => i / 10f).ToArray();
        Assert.Equal(ramp, (float[])result.Item1);
        Assert.Equal(ramp, (float[])result.Item2);
        Assert.Equal(10, (int)result.Item3);
        // Cutoff 0.55 calls 0.6 and up high; the ramp's upper half starts at 0.5, so exactly one sample of ten is wrong.
        Assert.Equal(0.9, (double)result.Item4, 9);
        Assert.Equal(0.9, (double)result.Item5, 9);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Develop_mode_on_a_target_that_cannot_reload_code_fails_naming_the_target_and_what_works(string kind)
    {
        using var loaded = LoadClients();

        string message = await DriveAsync(loaded, "DevelopAsync", TargetNamed(kind));

        Assert.StartsWith("develop mode (hot reload of rebuilt code) runs on Target.LocalProcess and Target.KubernetesDevelop only, not on the " + kind + " target", message);
        Assert.Contains("DevelopAsync(Target.LocalProcess, ...)", message);
        Assert.Contains("DeployAsync(target, ...)", message);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Reloading_a_model_started_with_DeployAsync_fails_saying_to_start_it_with_DevelopAsync(string kind)
    {
        using var loaded = LoadClients();

        string message = await DriveAsync(loaded, "ReloadDeployedAsync", TargetNamed(kind));

        Assert.Equal("Samples.Clients.AlwaysLow on " + kind + " was started with DeployAsync, which runs the code as built: " +
            "start it with AlwaysLow.DevelopAsync(Target.LocalProcess, ...) to reload rebuilt code", message);
    }
}
