using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Arc.Samples.Mnist;
using TorchSharp;
using Arc.Sdk;
using Arc.Torch;
using Arc.Types;

namespace Arc.Bench;

/// <summary>
/// Training throughput of the sample's MLP and CNN in TorchSharp (through Arc's <c>Fit</c>) against the same networks
/// in PyTorch (<c>bench/pytorch_train.py</c>): same shapes, batch size 64, Adam, cross-entropy, fixed step count, same
/// device and thread count, one run. PyTorch comes from <c>$ARC_PYTHON</c> or <c>/usr/bin/python3</c>; without it the
/// TorchSharp side still runs and the comparison says how to get PyTorch.
/// </summary>
public static class Training
{
    private const int BatchSize = 64;

    public static void Run(BenchOptions options)
    {
        int steps = options.Quick ? 30 : 1000;
        int threads = Environment.ProcessorCount;
        torch.set_num_threads(threads);
        var env = ArcEnvironment.Sample();
        string device = env.DefaultDevice;
        var python = Environment.GetEnvironmentVariable("ARC_PYTHON") is { Length: > 0 } p ? p : "/usr/bin/python3";

        Console.WriteLine($"training: steps/s of fit on one {BatchSize}×1×28×28 batch, {steps} steps, device {device}, {threads} threads " +
                          $"(TorchSharp {env.TorchSharpVersion} on libtorch {env.LibTorchVersion}; higher is better)");
        Console.WriteLine($"{"model",-8} {"TorchSharp",12} {"PyTorch",12} {"ratio",8}");
        foreach (var model in new[] { "mlp", "cnn" })
        {
            double arc = MeasureTorchSharp(model, steps);
            var (pytorch, note) = MeasurePyTorch(python, model, steps, threads, device);
            string ratio = pytorch is double py ? (arc / py).ToString("0.00", CultureInfo.InvariantCulture) + "×" : "-";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{model,-8} {arc,12:0.0} {(pytorch is double v ? v.ToString("0.0", CultureInfo.InvariantCulture) : "-"),12} {ratio,8}"));
            if (note is not null) Console.WriteLine($"         {note}");
        }
        Console.WriteLine("goal: TorchSharp ≥ 0.9× PyTorch on the same device");
    }

    private static double MeasureTorchSharp(string model, int steps)
    {
        torch.manual_seed(1);
        using TorchClassifier<ImageData> classifier = model == "mlp"
            ? MlpClassifier.Create(new MlpClassifier.Hyperparameters())
            : ConvClassifier.Create(new ConvClassifier.Hyperparameters());
        using var pixels = torch.rand(BatchSize, 1, 28, 28);
        using var labels = torch.randint(0, 10, BatchSize);
        var x = ImageData.FromTensor(pixels);
        var y = ClassData.FromTensor(labels, MnistDigits.ClassNames);

        for (int i = 0; i < Math.Max(10, steps / 10); i++) classifier.Fit(x, y); // warm-up
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++) classifier.Fit(x, y);
        return steps / clock.Elapsed.TotalSeconds;
    }

    private static (double? StepsPerSecond, string? Note) MeasurePyTorch(string python, string model, int steps, int threads, string device)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "pytorch_train.py");
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { script, "--model", model, "--steps", steps.ToString(CultureInfo.InvariantCulture),
                     "--batch", BatchSize.ToString(CultureInfo.InvariantCulture), "--threads", threads.ToString(CultureInfo.InvariantCulture), "--device", device })
            start.ArgumentList.Add(arg);
        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                var why = stderr.Result.Contains("No module named 'torch'", StringComparison.Ordinal)
                    ? $"PyTorch is not installed for {python} (Debian: apt-get install python3-torch; or set ARC_PYTHON)"
                    : $"pytorch_train.py failed: {stderr.Result.Trim().Split('\n')[^1]}";
                return (null, why);
            }
            using var json = JsonDocument.Parse(stdout.Result);
            var root = json.RootElement;
            return (root.GetProperty("steps_per_s").GetDouble(), $"PyTorch {root.GetProperty("torch").GetString()} on {root.GetProperty("device").GetString()}, {root.GetProperty("threads").GetInt32()} threads");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (null, $"cannot start {python}: {e.Message}");
        }
    }
}
