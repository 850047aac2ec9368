using System.Text.Json;
using SkiaSharp;

namespace Arc.CommandLine.Tests;

/// <summary><c>train</c> of the MNIST sample's generated command line, run as a child process: the run folder it writes, and resume.</summary>
public sealed class TrainCommandTests
{
    /// <summary>240 training digits: 4 steps of 64 per epoch, a second or two per run.</summary>
    private static readonly string[] Small = ["--model", "convclassifier", "--max-per-digit", "30", "--threads", "1"];

    [Fact]
    public async Task TrainWritesTheRunFolderWithConfigMetricsLogPlotsAndCheckpoints()
    {
        using var temp = new TempFolder();
        string run = temp["cnn"];
        var (code, stdout, stderr) = await MnistProgram.RunAsync(temp.Path, ["train", .. Small, "--epochs", "2", "--output-dir", run, "--channels", "4"]);
        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");

        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "config.json")));
        Assert.Equal("convclassifier", config.RootElement.GetProperty("model").GetString());
        Assert.Equal("classifydigits", config.RootElement.GetProperty("job").GetString());
        Assert.Equal(4, config.RootElement.GetProperty("model_parameters").GetProperty("channels").GetInt32()); // the option reached the constructor
        Assert.Equal(30, config.RootElement.GetProperty("job_parameters").GetProperty("maxPerDigit").GetInt32());
        Assert.Equal([1, 28, 28], config.RootElement.GetProperty("input_shape").EnumerateArray().Select(e => e.GetInt32()));
        using var env = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "env.json")));
        Assert.True(env.RootElement.GetProperty("processor_count").GetInt32() >= 1);

        var lines = File.ReadAllLines(Path.Combine(run, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var steps = lines.Where(l => l.GetProperty("kind").GetString() == "step").ToList();
        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), steps.Select(s => s.GetProperty("step").GetInt64()));
        Assert.All(steps, s => Assert.True(double.IsFinite(s.GetProperty("loss").GetDouble())));
        var epochs = lines.Where(l => l.GetProperty("kind").GetString() == "epoch").ToList();
        Assert.Equal([1, 2], epochs.Select(e => e.GetProperty("epoch").GetInt32()));
        Assert.All(epochs, e => Assert.InRange(e.GetProperty("metrics").GetProperty("accuracy").GetDouble(), 0, 1));

        Assert.Contains("epoch 2 step 8", File.ReadAllText(Path.Combine(run, "log.txt")));
        foreach (var (plot, width) in new[] { ("loss.png", 900), ("metrics.png", 900), ("confusion.png", 900) })
        {
            using var bitmap = SKBitmap.Decode(Path.Combine(run, "plots", plot));
            Assert.NotNull(bitmap);
            Assert.Equal(width, bitmap.Width);
        }
        Assert.Equal("step-00000008", File.ReadAllText(Path.Combine(run, "checkpoints", "latest")).Trim());
        Assert.True(File.Exists(Path.Combine(run, "checkpoints", "step-00000008", "optimizer.bin")));
        // Redirected output gets plain lines, never the terminal's redraw sequences.
        Assert.DoesNotContain("\u001b[", stdout);
        Assert.Contains("train completed after 8 steps", stdout);
    }

    [Fact]
    public async Task ARunStoppedByCtrlCAndResumedEndsWithTheWeightsOfAnUninterruptedRun()
    {
        using var temp = new TempFolder();
        // 800 digits in batches of 8: 100 steps per epoch, 300 in all, enough to interrupt in the middle.
        string[] args = ["train", "--model", "convclassifier", "--max-per-digit", "100", "--threads", "1", "--batch-size", "8", "--epochs", "3", "--outputs", "metrics,log"];
        string whole = temp["whole"], parts = temp["parts"];
        var uninterrupted = await MnistProgram.RunAsync(temp.Path, [.. args, "--output-dir", whole]);
        Assert.True(uninterrupted.ExitCode == 0, uninterrupted.Stderr);

        using (var program = MnistProgram.Start(temp.Path, [.. args, "--output-dir", parts]))
        {
            string metrics = Path.Combine(parts, "metrics.jsonl");
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (StepsLogged(metrics) < 40 && DateTime.UtcNow < deadline)
                await Task.Delay(10, TestContext.Current.CancellationToken);
            program.Interrupt();
            int code = await program.WaitAsync(TimeSpan.FromMinutes(2));
            Assert.True(code == 130, $"exit {code}\n{program.Stdout}\n{program.Stderr}");
            Assert.Contains("stopping after the current step", program.Stderr);
        }
        string latest = File.ReadAllText(Path.Combine(parts, "checkpoints", "latest")).Trim();
        long stoppedAt = long.Parse(latest["step-".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(stoppedAt, 40, 299); // stopped in the middle, after the step in progress
        Assert.Contains("interrupted: checkpoint", File.ReadAllText(Path.Combine(parts, "log.txt")));

        var resumed = await MnistProgram.RunAsync(temp.Path, ["train", "--resume", parts, "--threads", "1", "--outputs", "metrics,log"]);
        Assert.True(resumed.ExitCode == 0, resumed.Stdout + resumed.Stderr);
        Assert.Contains($"resumed from", File.ReadAllText(Path.Combine(parts, "log.txt")));

        byte[] expected = File.ReadAllBytes(Path.Combine(whole, "checkpoints", "step-00000300", "weights.bin"));
        byte[] actual = File.ReadAllBytes(Path.Combine(parts, "checkpoints", "step-00000300", "weights.bin"));
        Assert.True(expected.AsSpan().SequenceEqual(actual), "the resumed run must end with exactly the uninterrupted run's weights");
    }

    [Fact]
    public async Task AResumedRunWithDropoutDrawsTheSameMasksAndEndsWithTheWeightsOfAnUninterruptedRun()
    {
        using var temp = new TempFolder();
        // 4 steps of 64 per epoch; dropout draws from torch's generator on every step.
        string[] args = ["train", .. Small, "--dropout", "0.5", "--outputs", "metrics"];
        var whole = await MnistProgram.RunAsync(temp.Path, [.. args, "--epochs", "2", "--output-dir", temp["whole"]]);
        Assert.True(whole.ExitCode == 0, whole.Stdout + whole.Stderr);
        // One epoch with a checkpoint every 3 steps, then on from step 3 (inside epoch 1) to the end of epoch 2.
        var first = await MnistProgram.RunAsync(temp.Path, [.. args, "--epochs", "1", "--checkpoint-every", "3", "--output-dir", temp["parts"]]);
        Assert.True(first.ExitCode == 0, first.Stdout + first.Stderr);
        string middle = Path.Combine(temp["parts"], "checkpoints", "step-00000003");
        Assert.True(File.Exists(Path.Combine(middle, "rng.bin")));
        var resumed = await MnistProgram.RunAsync(temp.Path, ["train", "--resume", middle, "--epochs", "2", "--threads", "1", "--outputs", "metrics"]);
        Assert.True(resumed.ExitCode == 0, resumed.Stdout + resumed.Stderr);

        byte[] expected = File.ReadAllBytes(Path.Combine(temp["whole"], "checkpoints", "step-00000008", "weights.bin"));
        byte[] actual = File.ReadAllBytes(Path.Combine(temp["parts"], "checkpoints", "step-00000008", "weights.bin"));
        Assert.True(expected.AsSpan().SequenceEqual(actual), "the resumed run must draw the same dropout masks and end with the uninterrupted run's weights");

        // The dropout did draw: without it the same run ends elsewhere (so the comparison above could fail).
        var none = await MnistProgram.RunAsync(temp.Path, ["train", .. Small, "--dropout", "0", "--outputs", "metrics", "--epochs", "2", "--output-dir", temp["none"]]);
        Assert.True(none.ExitCode == 0, none.Stdout + none.Stderr);
        Assert.False(expected.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(temp["none"], "checkpoints", "step-00000008", "weights.bin"))));
    }

    private static int StepsLogged(string metrics)
    {
        if (!File.Exists(metrics)) return 0;
        using var stream = new FileStream(metrics, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        int steps = 0;
        while (reader.ReadLine() is { } line)
            if (line.Contains("\"kind\":\"step\"", StringComparison.Ordinal)) steps++;
        return steps;
    }

    [Fact]
    public async Task TensorBoardEventFilesHoldTheLossOfEveryStepAndTheEpochMetrics()
    {
        using var temp = new TempFolder();
        string run = temp["tb"];
        var (code, stdout, stderr) = await MnistProgram.RunAsync(temp.Path, ["train", .. Small, "--epochs", "2", "--output-dir", run, "--outputs", "metrics,tensorboard"]);
        Assert.True(code == 0, stdout + stderr);

        var files = Directory.GetFiles(Path.Combine(run, "tensorboard"), "events.out.tfevents.*", SearchOption.AllDirectories);
        var scalars = files.SelectMany(TensorBoardEvents.Read).ToList();
        // The same losses metrics.jsonl has, as float, at the same steps.
        var logged = File.ReadAllLines(Path.Combine(run, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(l => l.GetProperty("kind").GetString() == "step")
            .Select(l => (l.GetProperty("step").GetInt64(), (float)l.GetProperty("loss").GetDouble())).ToList();
        Assert.Equal(8, logged.Count);
        Assert.Equal(logged, scalars.Where(s => s.Tag == "train/loss").Select(s => (s.Step, s.Value)).OrderBy(s => s.Step));
        var accuracy = scalars.Where(s => s.Tag == "eval/accuracy").OrderBy(s => s.Step).ToList();
        Assert.Equal([4L, 8L], accuracy.Select(a => a.Step));
        Assert.All(accuracy, a => Assert.InRange(a.Value, 0f, 1f));
    }

    [Fact]
    public async Task ProfileTimesEveryPhaseOfEveryStepAndWritesAChromeTrace()
    {
        using var temp = new TempFolder();
        string run = temp["profiled"];
        var (code, stdout, stderr) = await MnistProgram.RunAsync(temp.Path, ["train", .. Small, "--epochs", "2", "--output-dir", run, "--outputs", "console", "--profile"]);
        Assert.True(code == 0, stdout + stderr);

        using var trace = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "profile.trace.json")));
        var events = trace.RootElement.GetProperty("traceEvents").EnumerateArray().ToList();
        foreach (var phase in new[] { "wait for data", "copy to device", "compute", "read loss" })
            Assert.Equal(8, events.Count(e => e.GetProperty("name").GetString() == phase)); // one per step
        Assert.All(events, e =>
        {
            Assert.Equal("X", e.GetProperty("ph").GetString());
            Assert.True(e.GetProperty("ts").GetDouble() >= 0);
            Assert.True(e.GetProperty("dur").GetDouble() >= 0);
        });
        // Within a step the phases follow each other: copy ends where compute starts, compute where the read starts.
        var copies = events.Where(e => e.GetProperty("name").GetString() == "copy to device").ToList();
        var computes = events.Where(e => e.GetProperty("name").GetString() == "compute").ToList();
        for (int i = 0; i < 8; i++)
            Assert.Equal(copies[i].GetProperty("ts").GetDouble() + copies[i].GetProperty("dur").GetDouble(), computes[i].GetProperty("ts").GetDouble(), 0.01);
        Assert.Contains("p99 ms", stdout);
        Assert.Contains("compute", File.ReadAllText(Path.Combine(run, "profile.txt")));
    }

    [Fact]
    public async Task EvalOfARunFolderReportsWhatTheLastEpochMeasured()
    {
        using var temp = new TempFolder();
        string run = temp["run"];
        var trained = await MnistProgram.RunAsync(temp.Path, ["train", .. Small, "--epochs", "2", "--output-dir", run, "--outputs", "metrics"]);
        Assert.True(trained.ExitCode == 0, trained.Stderr);
        double lastEpoch = File.ReadAllLines(Path.Combine(run, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)
            .Last(l => l.GetProperty("kind").GetString() == "epoch").GetProperty("metrics").GetProperty("accuracy").GetDouble();

        // The same weights (the last checkpoint), job parameters and split: the same accuracy.
        var (code, stdout, stderr) = await MnistProgram.RunAsync(temp.Path, "eval", "--model", run, "--json");
        Assert.True(code == 0, stdout + stderr);
        using var report = JsonDocument.Parse(stdout);
        Assert.Equal(60, report.RootElement.GetProperty("samples").GetInt32());
        Assert.Equal(lastEpoch, report.RootElement.GetProperty("metrics").GetProperty("accuracy").GetDouble());

        // A split the job does not have is the job's own message, not a stack trace.
        var missing = await MnistProgram.RunAsync(temp.Path, "eval", "--model", run, "--split", "validation");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("error: ClassifyDigits has train and test splits only", missing.Stderr);
        Assert.DoesNotContain("   at ", missing.Stderr);
    }

    [Fact]
    public async Task ACorruptCheckpointIsRefusedOnResumeWithItsPath()
    {
        using var temp = new TempFolder();
        string run = temp["run"];
        var first = await MnistProgram.RunAsync(temp.Path, ["train", .. Small, "--output-dir", run, "--outputs", "log"]);
        Assert.True(first.ExitCode == 0, first.Stderr);
        string weights = Path.Combine(run, "checkpoints", "step-00000004", "weights.bin");
        byte[] bytes = File.ReadAllBytes(weights);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(weights, bytes);

        var (code, stdout, stderr) = await MnistProgram.RunAsync(temp.Path, ["train", "--resume", run, "--epochs", "2"]);
        Assert.True(code == 1, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Contains("corrupt checkpoint", stderr);
        Assert.Contains(weights, stderr);
        Assert.False(Directory.Exists(Path.Combine(run, "checkpoints", "step-00000008")), "nothing may be trained from a corrupt checkpoint");
    }
}
