namespace Arc.Generators;

internal enum TargetKind
{
    Model,
    Job,
}

/// <summary>Everything needed to write the code for one valid <c>[Model]</c> or <c>[Job]</c> class.</summary>
/// <param name="Kind">Model or job.</param>
/// <param name="Location">Where the partial class is.</param>
/// <param name="FullTypeName">e.g. <c>global::Samples.ConvClassifier</c>.</param>
/// <param name="RegisteredName">The name in the registry.</param>
/// <param name="InputType">X, fully qualified.</param>
/// <param name="OutputType">Y, fully qualified.</param>
/// <param name="Record">The hyperparameter (or parameter) record.</param>
/// <param name="OverridesName">Whether to generate <c>Name</c> (the user's class does not declare one).</param>
/// <param name="HidesInheritedMembers">Whether a base class already has generated members, so ours need <c>new</c>.</param>
/// <param name="HidesInheritedClient">Whether a base class has <c>Client</c> and <c>Registration</c>, so ours need <c>new</c>.</param>
/// <param name="HidesInheritedEntryPoints">Whether a base class has <c>DeployAsync</c> (and <c>DevelopAsync</c>) with our parameter list, so ours need <c>new</c>.</param>
internal sealed record TargetClassSpec(
    TargetKind Kind,
    TypeLocationSpec Location,
    string FullTypeName,
    string RegisteredName,
    string InputType,
    string OutputType,
    ParameterRecordSpec Record,
    bool OverridesName,
    bool HidesInheritedMembers,
    bool HidesInheritedClient,
    bool HidesInheritedEntryPoints) : IGeneratedSpec
{
    /// <summary>The contract its attributes state, or null (then nothing about contracts is generated).</summary>
    public ContractSpec? Contract { get; init; }

    /// <summary>Whether to generate the instance's <c>Contract</c> override (the user's class does not declare one).</summary>
    public bool OverridesContract { get; init; }

    public string ClassName => Location.TypeName;

    public string HintName => Location.HintPrefix + ".Arc.g.cs";
}
