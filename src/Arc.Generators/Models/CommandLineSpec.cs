namespace Arc.Generators;

/// <summary>One constructor parameter as the command line sees it, before option names are assigned.</summary>
/// <param name="Name">The parameter's name as declared.</param>
/// <param name="PropertyName">The generated record's property (the binder's named argument).</param>
/// <param name="TypeName">The C# type, fully qualified with nullable annotations.</param>
/// <param name="DefaultLiteral">The constructor's default as C# source.</param>
/// <param name="Help">The XML doc <c>&lt;param&gt;</c> text, whitespace collapsed; empty when there is none.</param>
internal sealed record CommandLineParameterSpec(string Name, string PropertyName, string TypeName, string DefaultLiteral, string Help)
{
    /// <summary><c>learningRate</c> → <c>learning-rate</c>.</summary>
    public string KebabName => OptionNames.ToKebabCase(Name);
}

/// <summary>A <c>[Model]</c> or <c>[Job]</c> with the parameters the command line can bind (the others keep their defaults, ARC0017).</summary>
/// <param name="Kind">Model or job.</param>
/// <param name="FullTypeName">e.g. <c>global::Samples.ConvClassifier</c>.</param>
/// <param name="RegisteredName">What <c>--model</c>/<c>--job</c> take.</param>
/// <param name="RecordName"><c>Hyperparameters</c> or <c>Parameters</c>.</param>
/// <param name="Parameters">The bindable parameters, in declaration order.</param>
internal sealed record CommandLineTargetSpec(TargetKind Kind, string FullTypeName, string RegisteredName, string RecordName, EquatableArray<CommandLineParameterSpec> Parameters);

/// <summary>An option of the generated catalog: a parameter and the option name it was given.</summary>
/// <param name="Parameter">The parameter.</param>
/// <param name="OptionName">With its leading <c>--</c>.</param>
/// <param name="Note">Why the name carries a prefix, for the help; null when it does not.</param>
internal sealed record NamedParameter(CommandLineParameterSpec Parameter, string OptionName, string? Note);
