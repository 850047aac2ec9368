using MessagePack;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// The reading calls generated formatters make (hyperparameters, job parameters, pod arguments), kept as a stable
/// entry point for generated code: each is a thin call into <see cref="WireReader"/>, the one reader of Arc's
/// MessagePack, so these maps get its limits, its depth rule and its errors (<c>path: problem</c>).
/// </summary>
public static class WireReading
{
    /// <summary>Reads a map header; <paramref name="what"/> names the map (e.g. <c>hyperparameters of Mlp</c>) in errors.</summary>
    public static int ReadMapHeader(ref MessagePackReader reader, string what) => WireReader.ReadMapHeader(ref reader, what);

    /// <summary>Reads an array header; the count is checked against the bytes left, so a forged length cannot allocate.</summary>
    public static int ReadArrayHeader(ref MessagePackReader reader, string path) => WireReader.ReadArrayHeader(ref reader, path);

    /// <summary>Reads a map key, which Arc always writes as a string.</summary>
    public static string ReadKey(ref MessagePackReader reader, string what) => WireReader.ReadKey(ref reader, what);

    /// <summary>
    /// Skips the value of a key the formatter does not know (a newer writer's field), refusing nesting deeper than
    /// <see cref="WireLimits.MaxDepth"/> so that a deeply nested value cannot exhaust the stack. An error's path is the
    /// key, as a known key's is (the message names the map: "malformed hyperparameters of model 'x' …: key: problem").
    /// </summary>
    /// <param name="reader">Positioned at the value.</param>
    /// <param name="key">The unknown key, as read.</param>
    public static void Skip(ref MessagePackReader reader, string key) => WireReader.Skip(ref reader, key);

    /// <summary>Throws a clear error unless the next value has type <paramref name="expected"/>.</summary>
    /// <param name="reader">Positioned at the value.</param>
    /// <param name="expected">The MessagePack type the field needs.</param>
    /// <param name="path">The field, for the message.</param>
    /// <param name="description">What the field needs, in words (e.g. <c>an integer (Int32)</c>).</param>
    public static void Expect(ref MessagePackReader reader, MessagePackType expected, string path, string description)
        => WireReader.Expect(ref reader, expected, path, description);

    /// <summary>The error for a required key (a parameter without a default) that the map does not contain.</summary>
    public static ArcFormatException MissingKey(string key, string what) => WireReader.MissingKey(what, key);

    /// <summary>The error for a value of the wrong MessagePack type.</summary>
    public static ArcFormatException WrongType(string path, string description, MessagePackType actual)
        => WireReader.WrongType(path, description, actual);
}
