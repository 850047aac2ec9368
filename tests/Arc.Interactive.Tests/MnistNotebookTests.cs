using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Arc.Artifacts;

namespace Arc.Interactive.Tests;

/// <summary>
/// samples/notebooks/mnist.ipynb run headlessly as CI runs it (issue 17 item 4): the repository's local tool dotnet-repl
/// (.config/dotnet-tools.json) executes every cell in a real kernel and writes the executed notebook, which is read here:
/// no error output, both trainings (in the kernel and in a worker process) at accuracy ≥ 0.90, and pictures.
/// </summary>
public sealed partial class MnistNotebookTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(15);

    [Fact]
    public async Task The_mnist_notebook_runs_headlessly_without_errors_to_an_accuracy_of_at_least_0_90_with_pictures()
    {
        string root = RepositoryRoot();
        string folder = Path.Combine(root, "samples", "notebooks");
        string output = Path.Combine(ArcTempPaths.CreateDirectory(ArcTempPaths.Scratch), "mnist.executed.ipynb");
        try
        {
            var restore = await RunAsync(root, "tool", "restore");
            Assert.True(restore.Exit == 0, restore.Output);
            var run = await RunAsync(folder, "tool", "run", "dotnet-repl", "--", "--run", "mnist.ipynb", "--exit-after-run", "--output-path", output);
            Assert.True(run.Exit == 0, run.Output);
            Assert.True(File.Exists(output), run.Output);

            using var notebook = JsonDocument.Parse(File.ReadAllText(output));
            var outputs = notebook.RootElement.GetProperty("cells").EnumerateArray()
                .Where(c => c.GetProperty("cell_type").GetString() == "code")
                .SelectMany(c => c.GetProperty("outputs").EnumerateArray()).ToList();
            var errors = outputs.Where(o => o.GetProperty("output_type").GetString() == "error").Select(o => o.ToString()).ToList();
            Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));

            string text = string.Join("\n", outputs.SelectMany(Texts));
            var accuracies = Accuracy().Matches(text).Select(m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)).ToList();
            Assert.True(accuracies.Count == 2, text);
            Assert.All(accuracies, a => Assert.True(a >= 0.90, text));
            Assert.Contains(outputs, o => o.TryGetProperty("data", out var data) && data.TryGetProperty("image/png", out _));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(output)!, recursive: true);
        }
    }

    // Every text an output holds: stream text, and each MIME type's data.
    private static IEnumerable<string> Texts(JsonElement output)
    {
        if (output.TryGetProperty("text", out var text)) yield return Join(text);
        if (output.TryGetProperty("data", out var data))
            foreach (var item in data.EnumerateObject())
                if (item.Name.StartsWith("text/", StringComparison.Ordinal)) yield return Join(item.Value);
    }

    private static string Join(JsonElement value) => value.ValueKind == JsonValueKind.Array
        ? string.Concat(value.EnumerateArray().Select(v => v.GetString()))
        : value.GetString() ?? "";

    [GeneratedRegex(@"(in process|in a worker process \d+): accuracy=([0-9.]+)")]
    private static partial Regex Accuracy();

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "Arc.Sdk.sln"))) return folder.FullName;
        throw new InvalidOperationException($"no Arc.Sdk.sln above {AppContext.BaseDirectory}");
    }

    private sealed record Outcome(int Exit, string Output);

    private static async Task<Outcome> RunAsync(string folder, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var ct = TestContext.Current.CancellationToken;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct).WaitAsync(Guard, ct);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        return new Outcome(process.ExitCode, $"dotnet {string.Join(' ', arguments)}\nexit {process.ExitCode}\n{await stdout}\n{await stderr}");
    }
}
