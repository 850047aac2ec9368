namespace Arc.Tracking;

/// <summary>
/// One training run as a store keeps it: who ran what code with which hyperparameters in which environment, its status
/// and its times. Metric series, checkpoints and files hang off its <see cref="Id"/>.
/// </summary>
/// <param name="Id">The id the store gave it.</param>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Name">Its name, unique within the namespace.</param>
/// <param name="Owner">Who ran it.</param>
/// <param name="Framework">The framework that trained (may be empty).</param>
/// <param name="Status">Where it is in its life.</param>
/// <param name="StartedAt">When it started (to the microsecond).</param>
/// <param name="EndedAt">When it ended; null while <see cref="ExperimentStatus.Running"/>.</param>
/// <param name="CodeVersion">The code that ran, when known.</param>
public sealed record Experiment(
    string Id,
    string Namespace,
    string Name,
    string Owner,
    string Framework,
    ExperimentStatus Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    CodeVersion? CodeVersion)
{
    private readonly IReadOnlyDictionary<string, HyperparameterValue> _hyperparameters = ReadOnlyMaps.Freeze<HyperparameterValue>(null);
    private readonly IReadOnlyDictionary<string, string> _environment = ReadOnlyMaps.Freeze<string>(null);

    /// <summary>The hyperparameters by name, with their types.</summary>
    public IReadOnlyDictionary<string, HyperparameterValue> Hyperparameters
    {
        get => _hyperparameters;
        init => _hyperparameters = ReadOnlyMaps.Freeze(value);
    }

    /// <summary>The environment report by key.</summary>
    public IReadOnlyDictionary<string, string> Environment
    {
        get => _environment;
        init => _environment = ReadOnlyMaps.Freeze(value);
    }
}
