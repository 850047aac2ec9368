namespace Arc.CommandLine;

/// <summary>
/// The values of one model's or job's parameters for a run: what the command line gave, else the constructor's
/// default. The generated binder reads them by parameter name into the hyperparameter record.
/// </summary>
public sealed class ParameterValues
{
    private readonly IReadOnlyDictionary<string, object?> _values;
    private readonly string _owner;

    /// <summary>Values by parameter name.</summary>
    /// <param name="values">Each parameter's value.</param>
    /// <param name="owner">The model or job, for messages.</param>
    public ParameterValues(IReadOnlyDictionary<string, object?> values, string owner)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = values;
        _owner = owner;
    }

    /// <summary>The value of parameter <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">The catalog has no such parameter (the generated code and the catalog disagree).</exception>
    public T Get<T>(string name)
    {
        if (!_values.TryGetValue(name, out var value))
            throw new KeyNotFoundException($"{_owner} has no parameter '{name}' on the command line");
        return value is null ? default! : (T)value;
    }

    /// <summary>All values by parameter name (config.json records them).</summary>
    public IReadOnlyDictionary<string, object?> All => _values;
}
