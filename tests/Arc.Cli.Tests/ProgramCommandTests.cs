using System.Text.Json;
using Arc.Cli.Tests.Support;
using Xunit;

namespace Arc.Cli.Tests;

/// <summary>
/// <c>arc env</c> and <c>arc train|eval|infer|preview --assembly &lt;dll&gt;</c> (issue #14 item 5), run as the real tool: a
/// built program's generated command line, loaded as a worker loads it, with that program's options.
/// </summary>
public sealed class ProgramCommandTests
{
    [Fact]
    public async Task EnvReportsTheEnvironmentAsTextAndJson()
    {
        using var scratch = new Scratch();
        var text = await ArcTool.RunAsync(scratch.Root, null, "env");
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains($"cpu           {Environment.ProcessorCount} ×", text.Output);
        Assert.Contains("libtorch", text.Output);

        var json = await ArcTool.RunAsync(scratch.Root, null, "env", "--json");
        Assert.True(json.ExitCode == 0, json.ToString());
        using var report = JsonDocument.Parse(json.Output);
        Assert.Equal(Environment.ProcessorCount, report.RootElement.GetProperty("processor_count").GetInt32());
        Assert.False(string.IsNullOrEmpty(report.RootElement.GetProperty("dot_net_version").GetString()));
    }

    [Fact]
    public async Task TrainWithAnAssemblyRunsThatProgramsGeneratedCommand()
    {
        using var scratch = new Scratch();
        var result = await ArcTool.RunAsync(scratch.Root, null, "train", "--assembly", MnistModule.Assembly, "--model", "convclassifier",
            "--max-per-digit", "20", "--channels", "4", "--epochs", "1", "--threads", "1", "--outputs", "metrics", "--output-dir", scratch["run"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(File.Exists(scratch["run/config.json"]), result.ToString());
        Assert.NotEmpty(File.ReadAllLines(scratch["run/metrics.jsonl"]));

        var eval = await ArcTool.RunAsync(scratch.Root, null, "eval", "--assembly", MnistModule.Assembly, "--model", scratch["run"], "--json");
        Assert.True(eval.ExitCode == 0, eval.ToString());
        Assert.Contains("accuracy", eval.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task PreviewWithAnAssemblyShowsTheJobsData()
    {
        using var scratch = new Scratch();
        var result = await ArcTool.RunAsync(scratch.Root, null, "preview", "--assembly", MnistModule.Assembly, "--job", "classifydigits", "--max-per-digit", "5", "--count", "2");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("classifydigits", result.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task TheProgramsOwnBadInputRulesApply()
    {
        using var scratch = new Scratch();
        var unknown = await ArcTool.RunAsync(scratch.Root, null, "train", "--assembly", MnistModule.Assembly, "--model", "convclassifier", "--epoch", "1");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("did you mean --epochs", unknown.Error);

        var missing = await ArcTool.RunAsync(scratch.Root, null, "infer", "--assembly", scratch["nothing.dll"], "--model", "x");
        Assert.Equal(5, missing.ExitCode);
        Assert.Contains("nothing.dll", missing.Error);

        var noAssembly = await ArcTool.RunAsync(scratch.Root, null, "eval", "--model", "x");
        Assert.Equal(2, noAssembly.ExitCode);
        Assert.Contains("--assembly", noAssembly.Error);

        // A library with no generated command line (one of the sample's NuGet dependencies).
        var notArc = await ArcTool.RunAsync(scratch.Root, null, "preview", "--assembly", Path.Combine(MnistModule.Directory, "Fractions.dll"));
        Assert.Equal(2, notArc.ExitCode);
        Assert.Contains("has no generated command line", notArc.Error);
    }
}
