using System.Diagnostics;
using System.Globalization;
using Arc.Samples.Mnist;
using TorchSharp;
using Arc.Torch;
using Arc.Types;

namespace Arc.Bench;

/// <summary>
/// What <c>--profile</c> costs: the sample's CNN fitting one 64-image batch, with no phase recorder (the default) and
/// with one that keeps every phase (as <c>train --profile</c> does), in interleaved rounds of the same step count;
/// medians of the rounds' steps/s. /proc/loadavg is printed before and after: a ratio taken at a load above 1 is
/// printed but not reported as met. Goal: on ≤ 5 % slower than off.
/// </summary>
public static class ProfileCost
{
    private sealed class KeepAll : IStepPhaseRecorder
    {
        private readonly List<(StepPhase, long, long)> _slices = new(capacity: 1 << 16);

        public void Record(StepPhase phase, long start, long end) => _slices.Add((phase, start, end));
    }

    public static void Run(BenchOptions options)
    {
        int rounds = options.Quick ? 3 : 9, steps = options.Quick ? 10 : 100;
        torch.set_num_threads(Environment.ProcessorCount);
        torch.manual_seed(1);
        using var model = ConvClassifier.Create(new ConvClassifier.Hyperparameters());
        using var pixels = torch.rand(64, 1, 28, 28);
        using var labels = torch.randint(0, 10, 64);
        var x = ImageData.FromTensor(pixels);
        var y = ClassData.FromTensor(labels, MnistDigits.ClassNames);
        for (int i = 0; i < steps; i++) model.Fit(x, y); // warm-up

        Console.WriteLine($"profile: steps/s of the CNN's fit, --profile off vs on, {rounds} interleaved rounds of {steps} steps (higher is better)");
        string before = MachineLoad.Line();
        var off = new List<double>();
        var on = new List<double>();
        var recorder = new KeepAll();
        for (int r = 0; r < rounds; r++)
        {
            model.PhaseRecorder = null;
            off.Add(Round(model, x, y, steps));
            model.PhaseRecorder = recorder;
            on.Add(Round(model, x, y, steps));
        }
        model.PhaseRecorder = null;
        string after = MachineLoad.Line();
        double medianOff = Statistics.Median(off), medianOn = Statistics.Median(on), ratio = medianOn / medianOff;
        Console.WriteLine($"  loadavg before: {before}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  off {medianOff,8:0.0}   on {medianOn,8:0.0}   on/off {ratio:0.000}"));
        Console.WriteLine($"  loadavg after: {after}");
        bool quiet = MachineLoad.OneMinute(before) <= MachineLoad.JudgedUpTo && MachineLoad.OneMinute(after) <= MachineLoad.JudgedUpTo;
        Console.WriteLine(quiet
            ? $"  goal on/off ≥ 0.95: {(ratio >= 0.95 ? "met" : "NOT met")}"
            : "  goal on/off ≥ 0.95: not judged (load above 1 before or after)");
    }

    private static double Round(ConvClassifier model, ImageData x, ClassData y, int steps)
    {
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++) model.Fit(x, y);
        return steps / clock.Elapsed.TotalSeconds;
    }
}
