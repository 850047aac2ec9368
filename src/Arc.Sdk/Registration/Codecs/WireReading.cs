using MessagePack;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// Checked reading helpers shared by the codecs and by generated formatters: each checks the MessagePack type
/// before reading, so malformed input fails with an <see cref="ArcFormatException"/> that says which field was wrong.
/// </summary>
public static class WireReading
{
    /// <summary>Reads a map header; <paramref name="what"/> names the map in the error when the value is not a map.</summary>
    public static int ReadMapHeader(ref MessagePackReader reader, string what)
    {
        var type = reader.NextMessagePackType;
        if (type != MessagePackType.Map)
            throw new ArcFormatException($"the {what} must be a MessagePack map; got {Describe(type)}");
        // MessagePack checks that the claimed entry count fits in the remaining bytes, so a forged count fails here.
        return reader.ReadMapHeader();
    }

    /// <summary>Reads an array header; the count is checked against the bytes left, so a forged length cannot allocate.</summary>
    public static int ReadArrayHeader(ref MessagePackReader reader, string path)
    {
        Expect(ref reader, MessagePackType.Array, path, "an array");
        return reader.ReadArrayHeader();
    }

    /// <summary>Reads a map key, which Arc always writes as a string.</summary>
    public static string ReadKey(ref MessagePackReader reader, string what)
    {
        var type = reader.NextMessagePackType;
        if (type != MessagePackType.String)
            throw new ArcFormatException($"the keys of the {what} must be strings; got {Describe(type)}");
        return reader.ReadString()!;
    }

    /// <summary>
    /// Skips one value of any shape without recursion, so a deeply nested value under an unknown key cannot
    /// exhaust the stack.
    /// </summary>
    public static void Skip(ref MessagePackReader reader)
    {
        long pending = 1;
        while (pending > 0)
        {
            pending--;
            switch (reader.NextMessagePackType)
            {
                case MessagePackType.Array:
                    pending += reader.ReadArrayHeader();
                    break;
                case MessagePackType.Map:
                    pending += 2L * reader.ReadMapHeader();
                    break;
                default:
                    reader.Skip(); // scalars, strings, binary and extensions have no nested values
                    break;
            }
        }
    }

    /// <summary>Throws a clear error unless the next value has type <paramref name="expected"/>.</summary>
    /// <param name="reader">Positioned at the value.</param>
    /// <param name="expected">The MessagePack type the field needs.</param>
    /// <param name="path">The field, for the message.</param>
    /// <param name="description">What the field needs, in words (e.g. <c>an integer (Int32)</c>).</param>
    public static void Expect(ref MessagePackReader reader, MessagePackType expected, string path, string description)
    {
        var actual = reader.NextMessagePackType;
        if (actual != expected)
            throw WrongType(path, description, actual);
    }

    /// <summary>The error for a required key (a parameter without a default) that the map does not contain.</summary>
    public static ArcFormatException MissingKey(string key, string what) => new($"'{key}' is required in the {what} but the map does not contain it");

    /// <summary>The error for a value of the wrong MessagePack type.</summary>
    public static ArcFormatException WrongType(string path, string description, MessagePackType actual)
        => new($"'{path}' must be {description}; got {Describe(actual)}");

    private static string Describe(MessagePackType type) => type switch
    {
        MessagePackType.Integer => "an integer",
        MessagePackType.Nil => "nil",
        MessagePackType.Boolean => "a boolean",
        MessagePackType.Float => "a floating-point number",
        MessagePackType.String => "a string",
        MessagePackType.Binary => "binary data",
        MessagePackType.Array => "an array",
        MessagePackType.Map => "a map",
        MessagePackType.Extension => "an extension value",
        _ => "an unknown MessagePack value",
    };
}
