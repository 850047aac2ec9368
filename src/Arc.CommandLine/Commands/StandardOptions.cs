using System.CommandLine;
using System.Globalization;

namespace Arc.CommandLine;

/// <summary>Where a command runs the model: <c>--target</c>.</summary>
public enum RunTarget
{
    /// <summary>In this process (the default; checkpoints and resume work here).</summary>
    InProcess,
    /// <summary>In an Arc.Worker child process.</summary>
    LocalProcess,
    /// <summary>In a Kubernetes pod.</summary>
    Kubernetes,
}

/// <summary>The standard options of the commands (docs/command-line.md lists them all).</summary>
internal sealed class StandardOptions
{
    public Option<string?> Job { get; } = new("--job") { Description = "The [Job] to train or evaluate on (its registered name); optional when the program has one job" };
    public Option<string?> Model { get; } = new("--model") { Description = "The [Model] (its registered name); for eval and infer also a run folder or a checkpoint folder" };
    public Option<string?> DatasetDir { get; } = new("--dataset-dir") { Description = "The folder the job reads its data from (the job's data-folder parameter); must exist" };
    public Option<int> Epochs { get; } = new("--epochs") { Description = "Passes over the training split", DefaultValueFactory = _ => 1 };
    public Option<int> BatchSize { get; } = new("--batch-size") { Description = "Samples per step", DefaultValueFactory = _ => 64 };
    public Option<int> Seed { get; } = new("--seed") { Description = "Seeds torch before the model is built, and the shuffle (epoch e shuffles with seed + e - 1)", DefaultValueFactory = _ => 0 };
    public Option<string> Device { get; } = new("--device") { Description = "auto, cpu, cuda or cuda:N (sets ARC_DEVICE for the models this process and its workers build)", DefaultValueFactory = _ => "auto" };
    public Option<int?> Threads { get; } = new("--threads") { Description = "Torch CPU threads (default: libtorch's choice)" };
    public Option<RunTarget> Target { get; } = new("--target") { HelpName = "in-process|local-process|kubernetes", Description = "Where the model trains: in-process (checkpoints, resume) is what train supports; see docs/command-line.md", DefaultValueFactory = _ => RunTarget.InProcess, CustomParser = ParseTarget };
    public Option<string?> OutputDir { get; } = new("--output-dir") { Description = "The run folder: config.json, env.json, metrics.jsonl, log.txt, plots/, checkpoints/ (default runs/<model>-<UTC time>)" };
    public Option<int> CheckpointEvery { get; } = new("--checkpoint-every") { Description = "Write a checkpoint every N steps (0: only at the end and on Ctrl+C)", DefaultValueFactory = _ => 0 };
    public Option<string?> Resume { get; } = new("--resume") { Description = "Continue a run: its folder (latest checkpoint) or a checkpoint folder; model, job and their parameters come from its config.json" };
    public Option<TimeSpan?> TimeBudget { get; } = new("--time-budget") { Description = "Stop training after this long (90s, 5m, 1h, or hh:mm:ss), with a checkpoint", CustomParser = ParseDuration };
    public Option<string?> Tracking { get; } = new("--tracking") { HelpName = "uri", Description = "Record the run as an experiment: file:<dir> (an embedded store; file: alone: ~/.arc/tracking) or http://host:port (a tracking server); list it with arc experiments list --tracking <uri>", CustomParser = ParseDestination };
    public Option<bool> Profile { get; } = new("--profile") { Description = "Time each step's phases (wait for data, copy to device, compute, read loss): a summary, profile.txt and profile.trace.json (Perfetto)" };
    public Option<LogLevel> LogLevel { get; } = new("--log-level") { Description = "debug, info, warning or error", DefaultValueFactory = _ => CommandLine.LogLevel.Info };
    public Option<string[]> Outputs { get; } = new("--outputs") { Description = "Output handlers: console, metrics (metrics.jsonl), plots, log (log.txt), tensorboard (event files; not in the default)", DefaultValueFactory = _ => ["console", "metrics", "plots", "log"], AllowMultipleArgumentsPerToken = true };
    public Option<string[]> Input { get; } = new("--input") { Description = "Files or folders to predict: PNG/JPEG images, .txt (one text per line), .csv (a header row)", AllowMultipleArgumentsPerToken = true };
    public Option<string?> Output { get; } = new("--output") { Description = "Write predictions (infer) as JSON lines, or the preview grid PNG (preview), to this file" };
    public Option<string> Split { get; } = new("--split") { Description = "train, validation or test", DefaultValueFactory = _ => "train" };
    public Option<string> EvalSplit { get; } = new("--split") { Description = "train, validation or test", DefaultValueFactory = _ => "test" };
    public Option<int> Count { get; } = new("--count") { Description = "How many samples to show", DefaultValueFactory = _ => 16 };
    public Option<bool> Json { get; } = new("--json") { Description = "Print JSON instead of text" };

    /// <summary>The names a parameter option may not take on each command (the generator prefixes parameters that would).</summary>
    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.Ordinal)
    {
        "--job", "--model", "--dataset-dir", "--epochs", "--batch-size", "--seed", "--device", "--threads", "--target", "--output-dir",
        "--checkpoint-every", "--resume", "--time-budget", "--tracking", "--log-level", "--profile", "--outputs", "--node-id", "--nodes",
        "--gpus-per-node", "--input", "--output", "--split", "--count", "--json", "--help", "--version",
    };

    private static RunTarget ParseTarget(System.CommandLine.Parsing.ArgumentResult result)
    {
        string text = result.Tokens.Count == 0 ? "" : result.Tokens[0].Value;
        switch (text.ToLowerInvariant())
        {
            case "in-process": return RunTarget.InProcess;
            case "local-process": return RunTarget.LocalProcess;
            case "kubernetes": return RunTarget.Kubernetes;
            default:
                result.AddError($"--target: '{text}' is not a target; use in-process, local-process or kubernetes");
                return default;
        }
    }

    /// <summary>
    /// A tracking destination, checked while parsing (by the recorder that will record the run), so that a wrong one ends
    /// with usage before anything is written.
    /// </summary>
    internal static string? ParseDestination(System.CommandLine.Parsing.ArgumentResult result)
    {
        string text = result.Tokens.Count == 0 ? "" : result.Tokens[0].Value.Trim();
        try
        {
            Arc.Sdk.TrainingRecorders.ForDestination(text);
            return text;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            result.AddError($"--tracking: {e.Message}");
            return null;
        }
    }

    /// <summary>90s, 5m, 1.5h, or a TimeSpan (hh:mm:ss).</summary>
    internal static TimeSpan? ParseDuration(System.CommandLine.Parsing.ArgumentResult result)
    {
        string text = result.Tokens.Count == 0 ? "" : result.Tokens[0].Value.Trim();
        if (text.Length > 1 && "smh".Contains(text[^1]) && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out double n) && n > 0)
            return text[^1] switch { 's' => TimeSpan.FromSeconds(n), 'm' => TimeSpan.FromMinutes(n), _ => TimeSpan.FromHours(n) };
        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero)
            return span;
        result.AddError($"--time-budget: '{text}' is not a duration; use e.g. 90s, 5m, 1h or 00:01:30");
        return null;
    }
}
