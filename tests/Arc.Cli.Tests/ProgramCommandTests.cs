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
    public async Task TabCompletionThroughTheSuggestDirectiveCompletesArcsOwnOptionsAndABuiltProgramsOptions()
    {
        using var scratch = new Scratch();
        // dotnet-suggest's form: the directive with the cursor position, then the whole command line as one string.
        static string[] Suggest(string line) => [$"[suggest:{line.Length}]", line];

        var package = await ArcTool.RunAsync(scratch.Root, null, Suggest("package --o"));
        Assert.True(package.ExitCode == 0, package.ToString());
        Assert.Equal(["--output"], Lines(package.Output));

        var serve = await ArcTool.RunAsync(scratch.Root, null, Suggest("serve model.tar.gz model --max-b"));
        Assert.Equal(["--max-batch-size"], Lines(serve.Output));

        // Inside a built program's command line: its own options, which only its generated tree knows.
        var program = await ArcTool.RunAsync(scratch.Root, null, Suggest($"train --assembly {MnistModule.Assembly} --ep"));
        Assert.True(program.ExitCode == 0, program.ToString());
        Assert.Equal(["--epochs"], Lines(program.Output));
        var model = await ArcTool.RunAsync(scratch.Root, null, Suggest($"train --assembly={MnistModule.Assembly} --model "));
        Assert.Equal(["convclassifier", "mlpclassifier"], Lines(model.Output).Order(StringComparer.Ordinal));
        // The cursor before the end: what is under it is completed, the text after it is not.
        string line = $"train --assembly {MnistModule.Assembly} --chan --epochs 1";
        var middle = await ArcTool.RunAsync(scratch.Root, null, $"[suggest:{line.IndexOf("--chan", StringComparison.Ordinal) + "--chan".Length}]", line);
        Assert.Equal(["--channels"], Lines(middle.Output));

        // The program itself (its Main keeps its own plain run) answers the directive too, not its demonstration.
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in (string[])[MnistModule.Assembly, .. Suggest("train --ep")]) start.ArgumentList.Add(a);
        using var sample = System.Diagnostics.Process.Start(start)!;
        var output = sample.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = sample.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await sample.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(sample.ExitCode == 0, await error);
        Assert.Equal(["--epochs"], Lines(await output));
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

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
