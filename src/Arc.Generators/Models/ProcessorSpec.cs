namespace Arc.Generators;

/// <summary>Everything needed to write the code for one valid <c>[Processor]</c> class.</summary>
/// <param name="Location">Where the partial class is.</param>
/// <param name="FullTypeName">e.g. <c>global::Samples.PixelNormalizer</c>.</param>
/// <param name="RegisteredName">The processor's type name in meta.json and processor.arc.</param>
/// <param name="InputType">X, fully qualified.</param>
/// <param name="OutputType">Y, fully qualified.</param>
/// <param name="StateType">The fitted state's type, fully qualified.</param>
/// <param name="Record">The constructor's parameters (the <c>Parameters</c> record).</param>
/// <param name="State">The state type's constructor parameters (only a formatter is written for them).</param>
internal sealed record ProcessorSpec(
    TypeLocationSpec Location,
    string FullTypeName,
    string RegisteredName,
    string InputType,
    string OutputType,
    string StateType,
    ParameterRecordSpec Record,
    ParameterRecordSpec State) : IGeneratedSpec
{
    public string HintName => Location.HintPrefix + ".Processor.g.cs";
}
