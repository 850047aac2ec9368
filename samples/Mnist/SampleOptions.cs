using System.Globalization;
using Arc.Artifacts;
using Arc.Sdk;

namespace Arc.Samples.Mnist;

/// <summary>The sample's command line: plain <c>--name value</c> options.</summary>
public sealed record SampleOptions
{
    /// <summary>Epochs per model (a budget, when given, may stop earlier).</summary>
    public int Epochs { get; init; } = 20;

    /// <summary>
    /// Training time budget per model, seconds; null (the default) for none. Without a budget the in-process and the
    /// worker part stop by the same rule (epochs), so their accuracies can be compared exactly.
    /// </summary>
    public double? BudgetSeconds { get; init; }

    /// <summary>Samples per training step.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Use the first this-many digits of each class; 0 for all.</summary>
    public int MaxPerDigit { get; init; }

    /// <summary>Seed for weight initialisation and shuffling.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The <c>--predict</c> mode: connect to this saved model's reference, predict test digits, exit.</summary>
    public string? Predict { get; init; }

    /// <summary>How many test digits the saved model predicts.</summary>
    public int PredictCount { get; init; } = 200;

    /// <summary>Where the best model is saved (a repository reference); null for Arc's default local layout.</summary>
    public Arc.Artifacts.ArtifactReference? ArtifactStore { get; init; }

    /// <summary>
    /// Where training records itself (<c>--tracking</c>): <c>file:&lt;dir&gt;</c> or <c>http://host:port</c>; null for
    /// <c>ARC_TRACKING_URI</c>, or the embedded store in <c>~/.arc/tracking</c> when that is unset too.
    /// </summary>
    public string? Tracking { get; init; }

    /// <summary>Whether recording is off (<c>--no-tracking</c>).</summary>
    public bool NoTracking { get; init; }

    /// <summary>A checkpoint every this-many epochs while recording.</summary>
    public int CheckpointEvery { get; init; } = 10;

    /// <summary>The <c>--list-runs</c> mode: list the recorded runs and model versions, exit.</summary>
    public bool ListRuns { get; init; }

    /// <summary>The destination recorded into: <see cref="Tracking"/>, else <c>ARC_TRACKING_URI</c>, else <c>file:</c> (the embedded default).</summary>
    public string TrackingDestination => Tracking
        ?? (Environment.GetEnvironmentVariable(TrainOptions.TrackingEnvironmentVariable) is { Length: > 0 } set ? set : "file:");
    /// <summary>The <c>--train-saved</c> mode: save both models untrained, then train them by reference (<see cref="SavedModelTraining"/>).</summary>
    public bool TrainSaved { get; init; }

    /// <summary>
    /// The <c>--export-best</c> mode: train both models in this process and write the more accurate one as a model
    /// directory here, for <c>arc serve</c> (<see cref="BestModelExport"/>).
    /// </summary>
    public string? ExportBest { get; init; }

    /// <summary>Whether --help was given.</summary>
    public bool Help { get; init; }

    /// <summary>The usage text.</summary>
    public const string Usage = """
        usage: dotnet run --project samples/Mnist -c Release -- [options]
          --epochs N           epochs per model (default 20)
          --budget-seconds S   also stop training after S seconds (default: no budget; with one, the
                               in-process and worker accuracies need not match)
          --batch-size B       samples per step (default 64)
          --max-per-digit M    use only the first M digits of each class (default: all, ~1000)
          --seed S             seed for initialisation and shuffling (default 1)
          --quick              a smoke run for CI: 100 digits per class, 5 epochs
          --artifacts REPO     save the best model to this repository reference, e.g. oci-layout:/tmp/arc or
                               localhost:5000/arc/models (default: the layout in $ARC_ARTIFACTS or ~/.arc/artifacts)
          --predict REF        only connect to the saved model REF, predict test digits and print the accuracy
                               (what the sample runs as its second process)
          --predict-count N    test digits the saved model predicts (default 200)
          --tracking DEST      record the runs in DEST: file:<folder> or http://host:port (default:
                               $ARC_TRACKING_URI, else the embedded store in ~/.arc/tracking)
          --checkpoint-every N record a checkpoint every N epochs (default 10)
          --no-tracking        record nothing
          --list-runs          only list the runs and model versions recorded in the destination
          --train-saved        instead of the run above: save both models untrained to --artifacts, then
                               train them by reference with Trainer.TrainAsync on Target.LocalProcess
                               (each in its own worker) and save the trained copies next to them
          --export-best DIR    instead of the run above: train both models in this process and write the
                               more accurate one as a model directory in DIR for `arc serve` (docs/serving.md)
          --help               this text
        """;

    /// <summary>The training settings both parts use: epochs, batch size, shuffle seed, budget.</summary>
    public TrainOptions ToTrainOptions() => new()
    {
        Epochs = Epochs,
        BatchSize = BatchSize,
        ShuffleSeed = Seed,
        Budget = BudgetSeconds is double s ? TimeSpan.FromSeconds(s) : null,
        Tracking = NoTracking ? null : TrackingDestination,
        CheckpointEveryEpochs = NoTracking ? 0 : CheckpointEvery,
    };

    private static Arc.Artifacts.ArtifactReference Repository(string text)
    {
        if (!Arc.Artifacts.ArtifactReference.TryParse(text, out var reference, out string? error))
            throw new ArgumentException($"--artifacts: {error}");
        return reference.NamesArtifact ? throw new ArgumentException($"--artifacts needs a repository without :tag or @digest, got '{text}'") : reference;
    }

    /// <summary>Parses <paramref name="args"/>; throws <see cref="ArgumentException"/> naming a bad option.</summary>
    public static SampleOptions Parse(IReadOnlyList<string> args)
    {
        var options = new SampleOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value");
            int Int(int min) => int.TryParse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= min
                ? v : throw new ArgumentException($"{name} needs a whole number of at least {min}, got '{args[i]}'");
            options = name switch
            {
                "--epochs" => options with { Epochs = Int(1) },
                "--budget-seconds" => options with
                {
                    BudgetSeconds = double.TryParse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture, out double s) && s > 0
                        ? s : throw new ArgumentException($"--budget-seconds needs a positive number, got '{args[i]}'"),
                },
                "--batch-size" => options with { BatchSize = Int(1) },
                "--max-per-digit" => options with { MaxPerDigit = Int(0) },
                "--seed" => options with { Seed = Int(int.MinValue) },
                "--quick" => options with { MaxPerDigit = 100, Epochs = 5 },
                "--artifacts" => options with { ArtifactStore = Repository(Value()) },
                "--predict" => options with { Predict = Value() },
                "--predict-count" => options with { PredictCount = Int(1) },
                "--tracking" => options with { Tracking = Value() },
                "--no-tracking" => options with { NoTracking = true },
                "--checkpoint-every" => options with { CheckpointEvery = Int(0) },
                "--list-runs" => options with { ListRuns = true },
                "--train-saved" => options with { TrainSaved = true },
                "--export-best" => options with { ExportBest = Value() },
                "--help" or "-h" => options with { Help = true },
                _ => throw new ArgumentException($"unknown option '{name}'"),
            };
        }
        return options;
    }
}
