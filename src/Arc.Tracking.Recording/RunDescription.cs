using System.Globalization;
using System.Text;
using Arc.Sdk;

namespace Arc.Tracking.Recording;

/// <summary>How a <see cref="TrainingRunInfo"/> becomes an <see cref="ExperimentDraft"/>, and names made safe for the store's rules.</summary>
internal static class RunDescription
{
    /// <summary>
    /// An experiment named <c>&lt;model&gt;-&lt;yyyyMMdd-HHmmss&gt;-&lt;6 hex&gt;</c> (unique without asking the store), with
    /// the model's hyperparameters (typed), the training settings as <c>train.*</c>, the environment report plus where
    /// the model ran, and the git commit.
    /// </summary>
    public static ExperimentDraft Draft(TrainingRunInfo run, string @namespace, string owner)
    {
        string name = $"{Name(run.Model)}-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
        var hyperparameters = new Dictionary<string, HyperparameterValue>(StringComparer.Ordinal);
        foreach (var (key, value) in run.Hyperparameters)
            hyperparameters[Key(key)] = value switch
            {
                long l => l,
                double d => d,
                bool b => b,
                _ => HyperparameterValue.Of(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
            };
        var options = run.Options;
        hyperparameters["train.epochs"] = options.Epochs;
        hyperparameters["train.batch_size"] = options.BatchSize;
        hyperparameters["train.split"] = options.Split.ToString();
        if (options.ShuffleSeed is int seed) hyperparameters["train.shuffle_seed"] = seed;
        if (options.Budget is TimeSpan budget) hyperparameters["train.budget_seconds"] = budget.TotalSeconds;
        if (options.CheckpointEveryEpochs > 0) hyperparameters["train.checkpoint_every_epochs"] = options.CheckpointEveryEpochs;

        return new ExperimentDraft(@namespace, name, owner)
        {
            Framework = run.Environment.TorchSharpVersion is null ? "arc" : "arc/torchsharp",
            Hyperparameters = hyperparameters,
            Environment = Environment(run),
            CodeVersion = run.GitCommit is string commit ? new CodeVersion(commit, run.GitDirty) : null,
        };
    }

    private static Dictionary<string, string> Environment(TrainingRunInfo run)
    {
        var e = run.Environment;
        var map = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["model"] = run.Model,
            ["job"] = run.Job,
            ["loop"] = run.Loop,
            ["target"] = run.Target,
            ["host"] = System.Environment.MachineName,
            ["os"] = e.OperatingSystem,
            ["architecture"] = e.Architecture,
            ["processors"] = e.ProcessorCount.ToString(CultureInfo.InvariantCulture),
            ["memory_bytes"] = e.MemoryBytes.ToString(CultureInfo.InvariantCulture),
            ["dotnet"] = e.DotNetVersion,
            ["cuda_available"] = e.CudaAvailable ? "true" : "false",
            ["cuda_devices"] = e.CudaDeviceCount.ToString(CultureInfo.InvariantCulture),
        };
        if (run.Device is string device) map["device"] = device;
        if (e.ProcessorName is string cpu) map["processor"] = cpu;
        if (e.TorchSharpVersion is string torchSharp) map["torchsharp"] = torchSharp;
        if (e.LibTorchVersion is string libTorch) map["libtorch"] = libTorch;
        if (e.TorchThreads is int threads) map["torch_threads"] = threads.ToString(CultureInfo.InvariantCulture);
        for (int i = 0; i < e.Gpus.Count; i++) map[$"gpu{i}"] = e.Gpus[i].ToString() ?? "";
        return map;
    }

    /// <summary><paramref name="text"/> as an experiment or model name: characters outside letters, digits, <c>-_.</c> become <c>_</c>.</summary>
    public static string Name(string text)
    {
        string safe = Safe(text, "-_.", 100);
        return char.IsAsciiLetterOrDigit(safe[0]) ? safe : "m" + safe;
    }

    /// <summary><paramref name="text"/> as a metric or hyperparameter key: characters outside letters, digits, <c>-_./</c> become <c>_</c>.</summary>
    public static string Key(string text)
    {
        string safe = Safe(text, "-_./", 250);
        return char.IsAsciiLetterOrDigit(safe[0]) || safe[0] == '_' ? safe : "_" + safe[..Math.Min(safe.Length, 249)];
    }

    private static string Safe(string text, string allowed, int max)
    {
        if (string.IsNullOrEmpty(text)) return "_";
        var safe = new StringBuilder(Math.Min(text.Length, max));
        foreach (char c in text.AsSpan(0, Math.Min(text.Length, max)))
            safe.Append(char.IsAsciiLetterOrDigit(c) || allowed.Contains(c) ? c : '_');
        return safe.ToString();
    }
}
