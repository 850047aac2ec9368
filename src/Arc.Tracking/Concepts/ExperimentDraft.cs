namespace Arc.Tracking;

/// <summary>
/// What a caller says about an experiment it starts; a store turns it into an <see cref="Experiment"/> with an id and the
/// status <see cref="ExperimentStatus.Running"/>. Every field is checked when it is set (an <see cref="ArgumentException"/>
/// says which rule a value breaks), so an invalid draft cannot exist.
/// </summary>
public sealed record ExperimentDraft
{
    private readonly string _framework = "";
    private readonly IReadOnlyDictionary<string, HyperparameterValue> _hyperparameters = ReadOnlyMaps.Freeze<HyperparameterValue>(null);
    private readonly IReadOnlyDictionary<string, string> _environment = ReadOnlyMaps.Freeze<string>(null);

    /// <summary>A draft of experiment <paramref name="name"/> in <paramref name="namespace"/>, run by <paramref name="owner"/>.</summary>
    public ExperimentDraft(string @namespace, string name, string owner)
    {
        Namespace = TrackingNames.Namespace(@namespace, nameof(@namespace));
        Name = TrackingNames.Name(name, nameof(name), "experiment name");
        Owner = TrackingNames.RequiredText(owner, nameof(owner), "owner", 256);
    }

    /// <summary>The namespace (created with the first experiment or model that names it).</summary>
    public string Namespace { get; }

    /// <summary>The name, unique within the namespace.</summary>
    public string Name { get; }

    /// <summary>Who runs it (a user name or an e-mail address).</summary>
    public string Owner { get; }

    /// <summary>The framework that trains (<c>torchsharp</c>, <c>pytorch</c>…); empty when not said. At most 64 characters.</summary>
    public string Framework
    {
        get => _framework;
        init => _framework = TrackingNames.Text(value, nameof(Framework), "framework", 64);
    }

    /// <summary>The hyperparameters by name (names follow <see cref="TrackingNames.Key"/>), each a typed value.</summary>
    public IReadOnlyDictionary<string, HyperparameterValue> Hyperparameters
    {
        get => _hyperparameters;
        init => _hyperparameters = ReadOnlyMaps.Checked(value, nameof(Hyperparameters),
            key => TrackingNames.Key(key, nameof(Hyperparameters), "hyperparameter name"),
            (key, v) =>
            {
                if (v.Kind == 0) throw new ArgumentException($"hyperparameter '{key}' has no value (a default HyperparameterValue)", nameof(Hyperparameters));
            });
    }

    /// <summary>The environment report the run was made in (machine, runtime, devices…), as text by key.</summary>
    public IReadOnlyDictionary<string, string> Environment
    {
        get => _environment;
        init => _environment = CheckEnvironment(value, nameof(Environment));
    }

    /// <summary>The code that ran, when it is a git checkout.</summary>
    public CodeVersion? CodeVersion { get; init; }

    /// <summary>When the run started; the store's clock when not set. Kept to the microsecond.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    internal static IReadOnlyDictionary<string, string> CheckEnvironment(IReadOnlyDictionary<string, string>? value, string parameter)
        => ReadOnlyMaps.Checked(value, parameter,
            key => TrackingNames.RequiredText(key, parameter, "environment key", 256),
            (key, v) => TrackingNames.Text(v, parameter, $"environment value of '{key}'", TrackingNames.MaxValueLength, multiline: true));
}
