namespace Arc.CommandLine;

/// <summary>
/// One constructor parameter of a <c>[Model]</c> or <c>[Job]</c> as a command-line option: what Arc.Generators writes
/// into <c>ArcCommandLine.Catalog</c> for each parameter, with its C# type, its default and its XML doc text.
/// </summary>
public abstract class CommandLineParameter
{
    private protected CommandLineParameter(string name, string optionName, string help, string? note)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(optionName);
        if (!optionName.StartsWith("--", StringComparison.Ordinal))
            throw new ArgumentException($"an option name starts with '--', got '{optionName}'", nameof(optionName));
        Name = name;
        OptionName = optionName;
        Help = help ?? "";
        Note = note;
    }

    /// <summary>The parameter's name as declared, e.g. <c>learningRate</c>.</summary>
    public string Name { get; }

    /// <summary>The option, e.g. <c>--learning-rate</c> (or <c>--model-seed</c> when <c>--seed</c> is taken).</summary>
    public string OptionName { get; }

    /// <summary>The <c>&lt;param&gt;</c> text of the constructor's XML documentation; empty when it has none.</summary>
    public string Help { get; }

    /// <summary>Why the option is not simply the parameter's name in kebab case (a prefix that avoids a clash); null when it is.</summary>
    public string? Note { get; }

    /// <summary>The parameter's C# type.</summary>
    public abstract Type ParameterType { get; }

    /// <summary>The constructor's default for the parameter, boxed.</summary>
    public abstract object? DefaultValue { get; }

    /// <summary>A parameter of type <typeparamref name="T"/> with default <paramref name="defaultValue"/>.</summary>
    /// <param name="name">The parameter's name as declared.</param>
    /// <param name="optionName">The option, with its leading <c>--</c>.</param>
    /// <param name="defaultValue">The constructor's default.</param>
    /// <param name="help">The XML doc text of the parameter.</param>
    /// <param name="note">Why the option name carries a prefix; null when it does not.</param>
    public static CommandLineParameter<T> Of<T>(string name, string optionName, T defaultValue, string help, string? note = null)
        => new(name, optionName, defaultValue, help, note);

    /// <inheritdoc />
    public override string ToString() => $"{OptionName} ({Name}: {ParameterType.Name})";

    /// <summary>A System.CommandLine option for this parameter.</summary>
    internal abstract System.CommandLine.Option CreateOption(string description);

    /// <summary>The value the command line gave for <paramref name="option"/>.</summary>
    internal abstract object? Read(System.CommandLine.ParseResult result, System.CommandLine.Option option);
}

/// <summary>A <see cref="CommandLineParameter"/> of type <typeparamref name="T"/>.</summary>
/// <typeparam name="T">The parameter's C# type.</typeparam>
public sealed class CommandLineParameter<T> : CommandLineParameter
{
    internal CommandLineParameter(string name, string optionName, T defaultValue, string help, string? note)
        : base(name, optionName, help, note)
        => Default = defaultValue;

    /// <summary>The constructor's default.</summary>
    public T Default { get; }

    /// <inheritdoc />
    public override Type ParameterType => typeof(T);

    /// <inheritdoc />
    public override object? DefaultValue => Default;

    internal override System.CommandLine.Option CreateOption(string description)
    {
        var option = new System.CommandLine.Option<T>(OptionName) { Description = description, HelpName = TypeNames.Describe(typeof(T)) };
        var underlying = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        if (underlying == typeof(bool))
            option.Arity = System.CommandLine.ArgumentArity.ZeroOrOne; // a flag: --shuffle, or --shuffle false
        if (typeof(T).IsArray)
            option.AllowMultipleArgumentsPerToken = true; // --sizes 1 2 3
        return option;
    }

    internal override object? Read(System.CommandLine.ParseResult result, System.CommandLine.Option option)
        => result.GetValue((System.CommandLine.Option<T>)option);
}
