namespace Arc.Generators;

/// <summary>How a type travels on the wire; each kind maps to one codec in <c>Arc.Sdk.WireCodecs</c>.</summary>
internal enum WireKind
{
    Boolean,
    SByte,
    Byte,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Int64,
    UInt64,
    Single,
    Double,
    Decimal,
    String,
    Enum,
    Data,
    Array,
    ReadOnlyList,
    /// <summary>A nullable value type (<c>T?</c> with T a struct).</summary>
    Nullable,
    /// <summary>A nullable reference type (<c>T?</c> with T a class).</summary>
    OrNull,
}

/// <summary>
/// A serializable type: its kind, its C# spelling (fully qualified, with nullable annotations), and for
/// arrays, lists and nullables the element type.
/// </summary>
internal sealed record WireType(WireKind Kind, string TypeName, WireType? Element)
{
    /// <summary>The C# spelling of an enum or data type without any nullable annotation, e.g. <c>global::Ns.Color</c>.</summary>
    public string NamedTypeName => Element is null ? TypeName : Element.NamedTypeName;
}
