using MessagePack;

namespace Arc.Types;

/// <summary>
/// What one side of a model or job (its X or its Y) must look like beyond its type: an image's channels, height, width
/// and dtype, a table's columns, a text's maximum length, the class or label names. The batch size is always free.
/// Made from the model's attributes (<c>[ImageContract]</c>, <c>[TableContract]</c>, … in Arc.Sdk) by the generator;
/// docs/data-types.md, "Contracts".
/// </summary>
public abstract class ValueContract : IEquatable<ValueContract>
{
    private protected ValueContract() { }

    /// <summary>The wire tag of the data type this contract applies to (<c>image</c>, <c>table</c>, <c>text</c>, <c>class</c>, <c>label</c>).</summary>
    public abstract string WireTag { get; }

    /// <summary>
    /// Null when <paramref name="value"/> fits; otherwise how it looks, in the words of <see cref="ToString"/>
    /// (e.g. <c>image [N, 3, 32, 32] uint8</c>), for the message naming both shapes.
    /// </summary>
    public abstract string? Mismatch(IArcData value);

    /// <summary>
    /// Null when data that fits <paramref name="other"/> (a job's contract for the same side) can fit this one (a
    /// model's); otherwise why not. What either leaves free is not held against it: only stated facts that differ are.
    /// </summary>
    public abstract string? Conflict(ValueContract other);

    /// <summary>The contract in words, e.g. <c>image [N, 1, 28, 28] float32</c> or <c>table of 2 columns (area float64, rooms int64)</c>.</summary>
    public abstract override string ToString();

    /// <inheritdoc />
    public abstract bool Equals(ValueContract? other);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ValueContract other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);

    /// <summary>Writes the contract as a map <c>{"kind": tag, …}</c> (docs/remote-protocol.md, "Contracts").</summary>
    internal abstract void Write(ref MessagePackWriter writer);

    /// <summary>Writes the same map as JSON.</summary>
    internal abstract void Write(System.Text.Json.Utf8JsonWriter writer);

    /// <summary>A value that is not the contract's type at all (only possible through untyped callers).</summary>
    private protected static string Received(IArcData value) => $"{value.GetType().Name}";
}
