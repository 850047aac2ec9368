using System.Diagnostics;
using System.Text.Json;
using SkiaSharp;

namespace Arc.CommandLine.Tests;

/// <summary><c>infer</c> on real digit images, <c>env</c>, <c>preview</c>, the generated help, and the sample's own plain run.</summary>
public sealed class InferAndInfoTests
{
    [Fact]
    public async Task InferPredictsRealDigitImagesTheModelNeverSaw()
    {
        using var temp = new TempFolder();
        string run = temp["cnn"];
        var trained = await MnistProgram.RunAsync(temp.Path, "train", "--model", "convclassifier", "--epochs", "3", "--max-per-digit", "100", "--threads", "1",
            "--output-dir", run, "--outputs", "log");
        Assert.True(trained.ExitCode == 0, trained.Stderr);

        // The last digit of each class in the package: with 100 per class used, none of them was trained or tested on.
        string images = temp["digits"];
        Directory.CreateDirectory(images);
        string folder = Path.Combine(MnistProgram.RepositoryRoot, "data", "mnist", "package", "src", "digits");
        for (int digit = 0; digit < 10; digit++)
        {
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, $"{digit}.json")));
            var data = json.RootElement.GetProperty("data");
            int count = data.GetArrayLength() / 784;
            // Twice the size, as a photo of a digit would not be 28×28: infer scales it back.
            using var bitmap = new SKBitmap(56, 56);
            for (int y = 0; y < 56; y++)
                for (int x = 0; x < 56; x++)
                {
                    byte v = (byte)Math.Clamp(Math.Round(data[(count - 1) * 784 + (y / 2) * 28 + x / 2].GetDouble() * 255), 0, 255);
                    bitmap.SetPixel(x, y, new SKColor(v, v, v));
                }
            using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
            await File.WriteAllBytesAsync(Path.Combine(images, $"digit-{digit}.png"), png.ToArray(), TestContext.Current.CancellationToken);
        }

        string output = temp["predictions.jsonl"];
        var (code, stdout, stderr) = await MnistProgram.RunAsync(temp.Path, "infer", "--model", run, "--input", images, "--output", output);
        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        var rows = File.ReadAllLines(output).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(Enumerable.Range(0, 10).Select(d => $"digit-{d}.png"), rows.Select(r => r.GetProperty("input").GetString()));
        int correct = rows.Count(r => r.GetProperty("prediction").GetString() == r.GetProperty("input").GetString()!["digit-".Length..^".png".Length]);
        // Chance is 1 in 10; a CNN trained 3 epochs on 800 digits gets most of them.
        Assert.True(correct >= 7, $"{correct}/10 correct:\n{string.Join('\n', rows)}");

        // Without --output: a table on the console, one row per image.
        var table = await MnistProgram.RunAsync(temp.Path, "infer", "--model", run, "--input", Path.Combine(images, "digit-3.png"));
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("digit-3.png", table.Stdout);
    }

    [Fact]
    public async Task EnvPrintsTheEnvironmentReportAsJson()
    {
        using var temp = new TempFolder();
        var (code, stdout, stderr) = await MnistProgram.RunAsync(temp.Path, "env", "--json");
        Assert.True(code == 0, stderr);
        using var report = JsonDocument.Parse(stdout);
        Assert.Equal(Environment.ProcessorCount, report.RootElement.GetProperty("processor_count").GetInt32());
    }

    [Fact]
    public async Task PreviewShowsCountsAndWritesAnImageGrid()
    {
        using var temp = new TempFolder();
        string grid = temp["grid.png"];
        var (code, stdout, stderr) = await MnistProgram.RunAsync(temp.Path, "preview", "--max-per-digit", "30", "--count", "9", "--output", grid);
        Assert.True(code == 0, stderr);
        Assert.Contains("240 samples", stdout);
        Assert.Contains("0: 24  1: 24", stdout);
        using var bitmap = SKBitmap.Decode(grid);
        Assert.Equal(3 * 28 * 3, bitmap.Width); // 3×3 digits, each scaled 3×
    }

    [Fact]
    public async Task TrainHelpListsEveryConstructorParameterWithItsTypeDefaultAndDocText()
    {
        using var temp = new TempFolder();
        var (code, stdout, _) = await MnistProgram.RunAsync(temp.Path, "train", "--help");
        Assert.Equal(0, code);
        Assert.Contains("--channels <int>", stdout);
        Assert.Contains("Filters in the first convolution", stdout);
        Assert.Contains("convclassifier's channels, default 8", stdout);
        Assert.Contains("--learning-rate <double>", stdout);
        Assert.Contains("mlpclassifier's learningRate, default 0.001", stdout);
        Assert.Contains("--model-seed <int?>", stdout); // the model's seed, prefixed: --seed is the standard option
        Assert.Contains("--seed is a standard option", stdout);
        Assert.Contains("--max-per-digit <int>", stdout);
        Assert.DoesNotContain("--data-directory", stdout); // the job's data folder is --dataset-dir
    }

    [Fact]
    public async Task WithoutACommandTheSampleKeepsItsOwnOptions()
    {
        using var temp = new TempFolder();
        var (code, stdout, _) = await MnistProgram.RunAsync(temp.Path, "--help");
        Assert.Equal(0, code);
        Assert.Contains("usage: dotnet run --project samples/Mnist -c Release -- [options]", stdout);
        var (bad, _, stderr) = await MnistProgram.RunAsync(temp.Path, "--no-such-option");
        Assert.Equal(2, bad);
        Assert.Contains("unknown option '--no-such-option'", stderr);
    }

    [Fact]
    public async Task OnATerminalTheProgressBarRedrawsInPlace()
    {
        using var temp = new TempFolder();
        string transcript = temp["transcript"];
        // script(1) gives the program a pseudo-terminal, so it draws the live Spectre.Console bar.
        string command = $"dotnet '{MnistProgram.Path}' train --model convclassifier --max-per-digit 100 --batch-size 8 --epochs 2 --threads 1 --output-dir '{temp["run"]}' --outputs console";
        var start = new ProcessStartInfo("script", ["-q", "-e", "-c", command, transcript]) { WorkingDirectory = temp.Path, RedirectStandardOutput = true, RedirectStandardInput = true };
        start.Environment["TERM"] = "xterm-256color";
        start.Environment.Remove("CI");
        using var script = Process.Start(start)!;
        string seen = await script.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await script.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(script.ExitCode == 0, seen);
        string text = File.ReadAllText(transcript);
        // Every redraw moves the cursor back up over the bar (ESC [ n A) and rewrites it with the new step.
        int redraws = System.Text.RegularExpressions.Regex.Matches(text, "\u001b\\[\\d*A").Count;
        Assert.True(redraws >= 3, $"expected the bar to be redrawn; {redraws} cursor-up sequences in:\n{text}");
        Assert.Contains("epoch 2/2", text);
        Assert.Contains("samples/s", text);
        Assert.Contains("train completed after 200 steps", text);
    }
}
