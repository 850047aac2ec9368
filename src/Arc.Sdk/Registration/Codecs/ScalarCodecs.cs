using System.Globalization;
using MessagePack;
using Arc.Types;

namespace Arc.Sdk;

// One small codec per scalar type. Each checks the MessagePack type first (WireReading.Expect) so that a
// string where an integer belongs is reported with the field's name, and turns overflow into a clear error.

internal sealed class BooleanCodec : WireCodec<bool>
{
    public override void Write(ref MessagePackWriter writer, bool value) => writer.Write(value);

    public override bool Read(ref MessagePackReader reader, string path)
    {
        WireReading.Expect(ref reader, MessagePackType.Boolean, path, "a boolean");
        return reader.ReadBoolean();
    }
}

/// <summary>Integers of any width: written in MessagePack's smallest form, read from any integer form that fits.</summary>
internal sealed class IntegerCodec<T>(IntegerCodec<T>.Reader read, IntegerCodec<T>.Writer write, string typeName) : WireCodec<T>
{
    /// <summary>Reads the integer; delegates because <see cref="T:MessagePack.MessagePackReader"/> is a ref struct passed by reference.</summary>
    public delegate T Reader(ref MessagePackReader reader);

    /// <summary>Writes the integer.</summary>
    public delegate void Writer(ref MessagePackWriter writer, T value);

    public override void Write(ref MessagePackWriter writer, T value) => write(ref writer, value);

    public override T Read(ref MessagePackReader reader, string path)
    {
        WireReading.Expect(ref reader, MessagePackType.Integer, path, $"an integer ({typeName})");
        try
        {
            return read(ref reader);
        }
        catch (OverflowException e)
        {
            throw new ArcFormatException($"'{path}' does not fit in {typeName}", e);
        }
    }
}

internal sealed class SingleCodec : WireCodec<float>
{
    public override void Write(ref MessagePackWriter writer, float value) => writer.Write(value);

    public override float Read(ref MessagePackReader reader, string path)
    {
        ExpectNumber(ref reader, path, "a number (Single)");
        return reader.ReadSingle();
    }

    internal static void ExpectNumber(ref MessagePackReader reader, string path, string description)
    {
        var type = reader.NextMessagePackType;
        if (type is not (MessagePackType.Float or MessagePackType.Integer))
            throw WireReading.WrongType(path, description, type);
    }
}

internal sealed class DoubleCodec : WireCodec<double>
{
    public override void Write(ref MessagePackWriter writer, double value) => writer.Write(value);

    public override double Read(ref MessagePackReader reader, string path)
    {
        SingleCodec.ExpectNumber(ref reader, path, "a number (Double)");
        return reader.ReadDouble();
    }
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
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.String:
                string text = reader.ReadString()!;
                if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal parsed))
                    return parsed;
                throw new ArcFormatException($"'{path}' must be a decimal number; got the string '{Truncate(text)}'");
            case MessagePackType.Integer:
                return reader.NextCode == MessagePackCode.UInt64 ? reader.ReadUInt64() : reader.ReadInt64();
            case MessagePackType.Float:
                double d = reader.ReadDouble();
                if (double.IsFinite(d) && Math.Abs(d) < (double)decimal.MaxValue)
                    return (decimal)d;
                throw new ArcFormatException($"'{path}' does not fit in Decimal: {d.ToString(CultureInfo.InvariantCulture)}");
            case var other:
                throw WireReading.WrongType(path, "a decimal number (string, integer or float)", other);
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

    public override string Read(ref MessagePackReader reader, string path)
    {
        WireReading.Expect(ref reader, MessagePackType.String, path, "a string");
        return reader.ReadString()!;
    }
}

/// <summary>Enums travel by name (a string), so the wire form survives reordering the members and reads well in other languages.</summary>
internal sealed class EnumCodec<TEnum> : WireCodec<TEnum> where TEnum : struct, Enum
{
    public static readonly EnumCodec<TEnum> Instance = new();

    // ToString gives the member name, "A, B" for flags, or the number for an undefined value; TryParse reads all three back.
    public override void Write(ref MessagePackWriter writer, TEnum value) => writer.Write(value.ToString());

    public override TEnum Read(ref MessagePackReader reader, string path)
    {
        WireReading.Expect(ref reader, MessagePackType.String, path, $"the name of a {typeof(TEnum).Name} member");
        string text = reader.ReadString()!;
        if (Enum.TryParse(text, ignoreCase: false, out TEnum value))
            return value;
        throw new ArcFormatException(
            $"'{path}' must be one of {string.Join(", ", Enum.GetNames<TEnum>())}; got '{DecimalCodec.Truncate(text)}'");
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
        WireReading.Expect(ref reader, MessagePackType.Map, path, $"{typeof(TData).Name} data (a map tagged '{TData.WireTag}')");
        try
        {
            return TData.ReadWire(ref reader);
        }
        catch (ArcFormatException e)
        {
            throw new ArcFormatException($"'{path}': {e.Message}", e);
        }
    }
}

/// <summary>What a pod that returns nothing (<c>void</c>, <see cref="Task"/>, <see cref="ValueTask"/>) sends back: nil.</summary>
internal sealed class NoResultCodec : WireCodec<NoResult>
{
    public override void Write(ref MessagePackWriter writer, NoResult value) => writer.WriteNil();

    public override NoResult Read(ref MessagePackReader reader, string path)
    {
        WireReading.Expect(ref reader, MessagePackType.Nil, path, "nil (the pod returns nothing)");
        reader.ReadNil();
        return default;
    }
}
