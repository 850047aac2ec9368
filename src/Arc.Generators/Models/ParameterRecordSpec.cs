namespace Arc.Generators;

/// <summary>What a generated record carries, which decides its name, documentation and error messages.</summary>
internal enum RecordPurpose
{
    /// <summary>A model's constructor arguments.</summary>
    Hyperparameters,
    /// <summary>A job's constructor arguments.</summary>
    Parameters,
    /// <summary>A pod method's serialized arguments.</summary>
    PodArguments,
    /// <summary>A processor's fitted state (a type the user declares; only its formatter is generated).</summary>
    ProcessorState,
}

/// <summary>A generated positional record and its MessagePack formatter (hyperparameters, job parameters, pod arguments).</summary>
/// <param name="Purpose">What the record carries.</param>
/// <param name="RecordName">e.g. <c>Hyperparameters</c>.</param>
/// <param name="Accessibility"><c>public</c> or <c>internal</c>.</param>
/// <param name="OwnerName">The class or <c>Type.Method</c> the parameters belong to, as a reader would name it (messages and docs).</param>
/// <param name="Parameters">The properties, in declaration order.</param>
internal sealed record ParameterRecordSpec(RecordPurpose Purpose, string RecordName, string Accessibility, string OwnerName, EquatableArray<ParameterSpec> Parameters)
{
    public string FormatterName => RecordName + "Formatter";
}
