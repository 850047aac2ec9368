using System.Globalization;
using System.Numerics;
using MessagePack;
using Arc.Types;

namespace Arc.Sdk;

// One small codec per scalar type. Each reads through WireReader, which checks the MessagePack type first (so a string
// where an integer belongs is reported with the field's path), checks lengths and ranges, and reports all of it as
// "path: problem".

internal sealed class BooleanCodec : WireCodec<bool>
{
    public override void Write(ref MessagePackWriter writer, bool value) => writer.Write(value);

    public override bool Read(ref MessagePackReader reader, string path) => WireReader.ReadBoolean(ref reader, path);
}

/// <summary>Integers of any width: written in MessagePack's smallest form, read from any integer form that fits.</summary>
internal sealed class IntegerCodec<T>(IntegerCodec<T>.Writer write) : WireCodec<T> where T : IBinaryInteger<T>, IMinMaxValue<T>
{
    /// <summary>Writes the integer.</summary>
    public delegate void Writer(ref MessagePackWriter writer, T value);

    public override void Write(ref MessagePackWriter writer, T value) => write(ref writer, value);

    public override T Read(ref MessagePackReader reader, string path) => WireReader.ReadInteger<T>(ref reader, path);
}

internal sealed class SingleCodec : WireCodec<float>
{
    public override void Write(ref MessagePackWriter writer, float value) => writer.Write(value);

    public override float Read(ref MessagePackReader reader, string path) => (float)WireReader.ReadNumber(ref reader, path);
}

internal sealed class DoubleCodec : WireCodec<double>
{
    public override void Write(ref MessagePackWriter writer, double value) => writer.Write(value);

    public override double Read(ref MessagePackReader reader, string path) => WireReader.ReadNumber(ref reader, path);
}

/// <summary>
/// Decimals travel as invariant-culture strings (as MessagePack-CSharp writes them) so no digits are lost; integers
/// and floats are accepted too, for clients that have no decimal type.
/// </summary>
internal sealed class DecimalCodec : WireCodec<decimal>
{
    public override void Write(ref MessagePackWriter writer, decimal value) => writer.Write(value.ToString(CultureInfo.InvariantCulture));

    public override decimal Read(ref MessagePackReader reader, string path)
    {
        if (reader.End) throw WireReader.Error(path, "the payload ends where a decimal number was expected");
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.String:
                string text = WireReader.ReadString(ref reader, path);
                if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal parsed))
                    return parsed;
                throw WireReader.Error(path, $"expected a decimal number but found the string '{Truncate(text)}'");
            case MessagePackType.Integer:
                return (decimal)WireReader.ReadInteger<Int128>(ref reader, path); // every MessagePack integer fits
            case MessagePackType.Float:
                double d = WireReader.ReadNumber(ref reader, path);
                if (double.IsFinite(d) && Math.Abs(d) < (double)decimal.MaxValue)
                    return (decimal)d;
                throw WireReader.Error(path, $"{d.ToString(CultureInfo.InvariantCulture)} does not fit in Decimal");
            case var other:
                throw WireReader.WrongType(path, "a decimal number (string, integer or float)", other);
        }
    }

    internal static string Truncate(string text) => text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 64), "…");
}

internal sealed class StringCodec : WireCodec<string>
{
    public override void Write(ref MessagePackWriter writer, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        writer.Write(value);
    }

    public override string Read(ref MessagePackReader reader, string path) => WireReader.ReadString(ref reader, path);
}

/// <summary>Enums travel by name (a string), so the wire form survives reordering the members and reads well in other languages.</summary>
internal sealed class EnumCodec<TEnum> : WireCodec<TEnum> where TEnum : struct, Enum
{
    public static readonly EnumCodec<TEnum> Instance = new();

    // ToString gives the member name, "A, B" for flags, or the number for an undefined value; TryParse reads all three back.
    public override void Write(ref MessagePackWriter writer, TEnum value) => writer.Write(value.ToString());

    public override TEnum Read(ref MessagePackReader reader, string path)
    {
        WireReader.Expect(ref reader, MessagePackType.String, path, $"the name of a {typeof(TEnum).Name} member");
        string text = WireReader.ReadString(ref reader, path);
        if (Enum.TryParse(text, ignoreCase: false, out TEnum value))
            return value;
        throw WireReader.Error(path, $"expected one of {string.Join(", ", Enum.GetNames<TEnum>())} but found '{DecimalCodec.Truncate(text)}'");
    }
}

/// <summary>Arc data types write their own documented wire form (a map with a type tag).</summary>
internal sealed class DataCodec<TData> : WireCodec<TData> where TData : IArcData<TData>
{
    public static readonly DataCodec<TData> Instance = new();

    public override void Write(ref MessagePackWriter writer, TData value)
    {
        ArgumentNullException.ThrowIfNull(value);
        TData.WriteWire(ref writer, value);
    }

    public override TData Read(ref MessagePackReader reader, string path)
    {
        WireReader.Expect(ref reader, MessagePackType.Map, path, $"{typeof(TData).Name} data (a map tagged '{TData.WireTag}')");
        return WireReader.ReadData<TData>(ref reader, path);
    }
}

/// <summary>What a pod that returns nothing (<c>void</c>, <see cref="Task"/>, <see cref="ValueTask"/>) sends back: nil.</summary>
internal sealed class NoResultCodec : WireCodec<NoResult>
{
    public override void Write(ref MessagePackWriter writer, NoResult value) => writer.WriteNil();

    public override NoResult Read(ref MessagePackReader reader, string path)
    {
        WireReader.ReadNil(ref reader, path, "nil (the pod returns nothing)");
        return default;
    }
}
