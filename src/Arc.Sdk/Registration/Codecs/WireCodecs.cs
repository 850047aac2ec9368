using MessagePack;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// The codecs for every type Arc can carry as a hyperparameter, a pod argument or a pod result: <see cref="bool"/>,
/// the integer types, <see cref="float"/>, <see cref="double"/>, <see cref="decimal"/>, <see cref="string"/>, enums
/// (by name), Arc data types (their own wire form), and arrays, <see cref="IReadOnlyList{T}"/> and nullables of those.
/// Generated formatters compose them; no reflection is involved.
/// </summary>
public static class WireCodecs
{
    /// <summary><see cref="bool"/>.</summary>
    public static WireCodec<bool> Boolean { get; } = new BooleanCodec();

    /// <summary><see cref="sbyte"/>.</summary>
    public static WireCodec<sbyte> SByte { get; } = new IntegerCodec<sbyte>(static (ref MessagePackWriter w, sbyte v) => w.Write(v));

    /// <summary><see cref="byte"/>.</summary>
    public static WireCodec<byte> Byte { get; } = new IntegerCodec<byte>(static (ref MessagePackWriter w, byte v) => w.Write(v));

    /// <summary><see cref="short"/>.</summary>
    public static WireCodec<short> Int16 { get; } = new IntegerCodec<short>(static (ref MessagePackWriter w, short v) => w.Write(v));

    /// <summary><see cref="ushort"/>.</summary>
    public static WireCodec<ushort> UInt16 { get; } = new IntegerCodec<ushort>(static (ref MessagePackWriter w, ushort v) => w.Write(v));

    /// <summary><see cref="int"/>.</summary>
    public static WireCodec<int> Int32 { get; } = new IntegerCodec<int>(static (ref MessagePackWriter w, int v) => w.Write(v));

    /// <summary><see cref="uint"/>.</summary>
    public static WireCodec<uint> UInt32 { get; } = new IntegerCodec<uint>(static (ref MessagePackWriter w, uint v) => w.Write(v));

    /// <summary><see cref="long"/>.</summary>
    public static WireCodec<long> Int64 { get; } = new IntegerCodec<long>(static (ref MessagePackWriter w, long v) => w.Write(v));

    /// <summary><see cref="ulong"/>.</summary>
    public static WireCodec<ulong> UInt64 { get; } = new IntegerCodec<ulong>(static (ref MessagePackWriter w, ulong v) => w.Write(v));

    /// <summary><see cref="float"/>; integers are accepted on read.</summary>
    public static WireCodec<float> Single { get; } = new SingleCodec();

    /// <summary><see cref="double"/>; integers are accepted on read.</summary>
    public static WireCodec<double> Double { get; } = new DoubleCodec();

    /// <summary><see cref="decimal"/>, written as an invariant-culture string.</summary>
    public static WireCodec<decimal> Decimal { get; } = new DecimalCodec();

    /// <summary>A non-null <see cref="string"/>; nil is an error (use <see cref="OrNull{T}"/> for <c>string?</c>).</summary>
    public static WireCodec<string> String { get; } = new StringCodec();

    /// <summary>Nothing: what a pod returning <c>void</c>, <see cref="Task"/> or <see cref="ValueTask"/> sends back (nil).</summary>
    public static WireCodec<NoResult> NoResult { get; } = new NoResultCodec();

    /// <summary>An enum, by member name.</summary>
    public static WireCodec<TEnum> Enum<TEnum>() where TEnum : struct, System.Enum => EnumCodec<TEnum>.Instance;

    /// <summary>An Arc data type, in its own wire form (<see cref="IArcData{TSelf}.WriteWire"/>).</summary>
    public static WireCodec<TData> Data<TData>() where TData : IArcData<TData> => DataCodec<TData>.Instance;

    /// <summary>A nullable value type: nil or the value.</summary>
    public static WireCodec<T?> Nullable<T>(WireCodec<T> inner) where T : struct => new NullableCodec<T>(inner);

    /// <summary>A nullable reference type: nil or the value.</summary>
    public static WireCodec<T?> OrNull<T>(WireCodec<T> inner) where T : class => new OrNullCodec<T>(inner);

    /// <summary>An array of <paramref name="element"/>s.</summary>
    public static WireCodec<T[]> ArrayOf<T>(WireCodec<T> element) => new ArrayCodec<T>(element);

    /// <summary>An <see cref="IReadOnlyList{T}"/> of <paramref name="element"/>s (read back as an array).</summary>
    public static WireCodec<IReadOnlyList<T>> ReadOnlyListOf<T>(WireCodec<T> element) => new ReadOnlyListCodec<T>(element);
}
