namespace Arc.Datasets;

/// <summary>
/// Marks a <c>partial</c> class deriving from <see cref="DatasetProcessor{TRawX, TRawY, X, Y, TState}"/> as an Arc processor.
/// The generator treats it like a <c>[Model]</c>: its public constructor's parameters become a <c>Parameters</c> record
/// with a MessagePack formatter, its fitted state type gets a formatter, and it gets <c>TypeName</c>, <c>Create</c> and
/// <c>Load</c> (from a dataset version or a <c>processor.arc</c> file). What cannot be carried as data is an ARC
/// diagnostic at compile time (docs/diagnostics.md, ARC0040 and ARC0041).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class ProcessorAttribute : Attribute
{
    /// <summary>The processor's type name in meta.json and processor.arc; defaults to the class name in lower case.</summary>
    public string? Name { get; set; }
}
