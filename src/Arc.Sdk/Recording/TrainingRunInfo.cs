namespace Arc.Sdk;

/// <summary>What a training run is, as a recorder receives it at <see cref="ITrainingRecorder.StartAsync"/>.</summary>
public sealed record TrainingRunInfo
{
    /// <summary>The model's registered name.</summary>
    public required string Model { get; init; }

    /// <summary>The job's registered name.</summary>
    public required string Job { get; init; }

    /// <summary>
    /// The model's hyperparameters by constructor parameter name, each a <see cref="long"/>, <see cref="double"/>,
    /// <see cref="bool"/> or <see cref="string"/> (other values as their JSON text; nulls left out). Empty when the model
    /// was neither created by its generated <c>Create(Hyperparameters)</c> nor deployed (a hand-made object).
    /// </summary>
    public required IReadOnlyDictionary<string, object> Hyperparameters { get; init; }

    /// <summary>The machine the loop runs on (<see cref="ArcEnvironment.Sample"/>).</summary>
    public required EnvironmentReport Environment { get; init; }

    /// <summary>Where the model computes (<c>cpu</c>, <c>cuda:0</c>, a worker's device), when it says.</summary>
    public string? Device { get; init; }

    /// <summary>Where the model runs: <c>InProcess</c> for an object, else the target it was deployed on (<c>LocalProcess</c>, …).</summary>
    public required string Target { get; init; }

    /// <summary>The git commit of the code, when the model's assembly (or the current folder) lies in a git checkout.</summary>
    public string? GitCommit { get; init; }

    /// <summary>Whether that checkout had changes not committed.</summary>
    public bool GitDirty { get; init; }

    /// <summary>The training settings.</summary>
    public required TrainOptions Options { get; init; }

    /// <summary>Which loop trains: <c>TrainAsync</c> or <c>Trainer</c>.</summary>
    public required string Loop { get; init; }
}
