using Arc.Sdk;

namespace Arc.CommandLine;

/// <summary>What models and jobs share on the command line: a registered name, a class and its parameters.</summary>
public abstract class CommandLineTarget
{
    private protected CommandLineTarget(ClassRegistration registration, IReadOnlyList<CommandLineParameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentNullException.ThrowIfNull(parameters);
        Registration = registration;
        Parameters = parameters;
    }

    /// <summary>The registration the generator wrote for the class.</summary>
    public ClassRegistration Registration { get; }

    /// <summary>The registered name, what <c>--model</c> and <c>--job</c> take.</summary>
    public string Name => Registration.Name;

    /// <summary>The class's constructor parameters, in declaration order.</summary>
    public IReadOnlyList<CommandLineParameter> Parameters { get; }

    /// <summary>The input data type X.</summary>
    public Type InputType => Registration.InputType;

    /// <summary>The output or target data type Y.</summary>
    public Type OutputType => Registration.OutputType;

    /// <summary>The defaults of every parameter.</summary>
    public ParameterValues Defaults() => new(Parameters.ToDictionary(p => p.Name, p => p.DefaultValue), Name);
}
