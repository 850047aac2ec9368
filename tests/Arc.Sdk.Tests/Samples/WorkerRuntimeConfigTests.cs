using System.Diagnostics;
using System.Text.Json.Nodes;
using Arc.Sdk.Tests.Support;

namespace Arc.Sdk.Tests.Samples;

/// <summary>
/// A worker runs with a 2 MiB large-object threshold wherever it is started from (a batch decoded for one step then
/// stays in generation 0; docs/performance.md): Arc.Worker's own runtimeconfig.json has it, and Arc.Sdk.targets writes
/// it into the copy of a package consumer's runtimeconfig.json that becomes the worker's. The target is run here by
/// MSBuild itself, on runtimeconfigs of every shape the SDK writes and one a project chose a threshold in.
/// </summary>
public sealed class WorkerRuntimeConfigTests : IDisposable
{
    private const string Threshold = "System.GC.LOHThreshold";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly DirectoryInfo _folder = TestScratch.Create();

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public void Arc_Workers_own_runtimeconfig_sets_the_threshold()
    {
        string worker = WorkerProcess.WorkerPathOf(new LocalProcessOptions());
        var properties = ConfigProperties(File.ReadAllText(Path.ChangeExtension(worker, ".runtimeconfig.json")));
        Assert.Equal(2 * 1024 * 1024, (int)properties[Threshold]!);
    }

    [Fact]
    public async Task The_targets_add_the_threshold_to_the_programs_configProperties_and_keep_the_rest()
    {
        var properties = ConfigProperties(await WorkerRuntimeConfigOfAsync("""
            {
              "runtimeOptions": {
                "tfm": "net10.0",
                "frameworks": [
                  { "name": "Microsoft.NETCore.App", "version": "10.0.0" },
                  { "name": "Microsoft.AspNetCore.App", "version": "10.0.0" }
                ],
                "configProperties": {
                  "System.Reflection.Metadata.MetadataUpdater.IsSupported": false,
                  "Odd": "a;b%3B'c$(X) @(Y) %(Z)"
                }
              }
            }
            """));
        Assert.Equal(2097152, (int)properties[Threshold]!);
        Assert.False((bool)properties["System.Reflection.Metadata.MetadataUpdater.IsSupported"]!);
        Assert.Equal("a;b%3B'c$(X) @(Y) %(Z)", (string)properties["Odd"]!); // MSBuild's own escapes left alone
        Assert.Equal(3, properties.Count);
    }

    [Theory]
    [InlineData("""{ "runtimeOptions": { "tfm": "net10.0", "configProperties": {} } }""")]
    [InlineData("""{ "runtimeOptions": { "tfm": "net10.0", "framework": { "name": "Microsoft.NETCore.App", "version": "10.0.0" } } }""")]
    public async Task The_targets_add_the_threshold_where_the_program_sets_no_properties(string programs)
    {
        string written = await WorkerRuntimeConfigOfAsync(programs);
        Assert.Equal(2097152, (int)Assert.Single(ConfigProperties(written)).Value!);
        Assert.Equal("net10.0", (string)JsonNode.Parse(written)!["runtimeOptions"]!["tfm"]!);
    }

    [Fact]
    public async Task A_threshold_the_program_chose_is_kept()
    {
        var properties = ConfigProperties(await WorkerRuntimeConfigOfAsync("""
            { "runtimeOptions": { "configProperties": { "System.GC.Concurrent": false, "System.GC.LOHThreshold": 100000 } } }
            """));
        Assert.Equal(100000, (int)properties[Threshold]!);
        Assert.Equal(2, properties.Count);
    }

    /// <summary>Runs Arc.Sdk.targets' ArcWorkerHostFiles as a package consumer's build would, on <paramref name="programs"/>.</summary>
    private async Task<string> WorkerRuntimeConfigOfAsync(string programs)
    {
        string output = Directory.CreateDirectory(Path.Combine(_folder.FullName, "bin")).FullName + Path.DirectorySeparatorChar;
        File.WriteAllBytes(Path.Combine(output, "Arc.Worker.dll"), []);
        string runtimeConfig = Path.Combine(_folder.FullName, "Program.runtimeconfig.json");
        string deps = Path.Combine(_folder.FullName, "Program.deps.json");
        File.WriteAllText(runtimeConfig, programs);
        File.WriteAllText(deps, """{ "runtimeTarget": { "name": ".NETCoreApp,Version=v10.0" } }""");

        var start = new ProcessStartInfo(WorkerProcess.DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _folder.FullName,
        };
        foreach (string argument in new[]
        {
            "msbuild", Path.Combine(RepositoryFiles.Root, "src", "Arc.Sdk", "build", "Arc.Sdk.targets"), "-nologo", "-v:q",
            "-t:ArcWorkerHostFiles", "-p:_ArcFromPackage=true", $"-p:OutDir={output}",
            $"-p:ProjectRuntimeConfigFilePath={runtimeConfig}", $"-p:ProjectDepsFilePath={deps}",
        })
            start.ArgumentList.Add(argument);
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{await stdout}\n{await stderr}");

        Assert.Equal(File.ReadAllText(deps), File.ReadAllText(Path.Combine(output, "Arc.Worker.deps.json")));
        return File.ReadAllText(Path.Combine(output, "Arc.Worker.runtimeconfig.json"));
    }

    private static JsonObject ConfigProperties(string runtimeConfig)
        => JsonNode.Parse(runtimeConfig)!["runtimeOptions"]!["configProperties"]!.AsObject();
}
