using System.Linq;

namespace Arc.Generators;

/// <summary>
/// Writes a positional record (hyperparameters, job parameters, pod arguments) and its MessagePack formatter: a map
/// keyed by the parameter names, read in any order, with missing keys taking their defaults (or failing when a
/// parameter has none), unknown keys skipped, and wrong types reported with the key's name.
/// </summary>
internal static class ParameterRecordEmitter
{
    private const string Reading = "global::Arc.Sdk.WireReading";

    /// <summary>Longer record declarations get one parameter per line, to stay readable.</summary>
    private const int MaxLineLength = 120;

    /// <param name="writer">Positioned inside the type that will hold the record.</param>
    /// <param name="record">The record.</param>
    /// <param name="qualifiedRecordName">The record's fully qualified name.</param>
    /// <param name="newModifier"><c>"new "</c> when a base class has members of the same names, else empty.</param>
    public static void Emit(SourceWriter writer, ParameterRecordSpec record, string qualifiedRecordName, string newModifier)
    {
        EmitRecord(writer, record, qualifiedRecordName, newModifier);
        writer.WriteLine();
        EmitFormatter(writer, record, qualifiedRecordName, newModifier);
    }

    private static void EmitRecord(SourceWriter writer, ParameterRecordSpec record, string qualifiedRecordName, string newModifier)
    {
        writer.WriteLine("/// <summary>" + Summary(record, qualifiedRecordName) + "</summary>");
        foreach (var p in record.Parameters)
            writer.WriteLine($"""/// <param name="{p.PropertyName}">The <c>{p.Name}</c> parameter{(p.DefaultLiteral is null ? " (required)" : "")}.</param>""");
        // The record is partial, so the user may add to it: no attribute that would hide their part from the debugger.
        writer.WriteLine(GeneratedFile.GeneratedCode);
        var parameters = record.Parameters.Select(p => p.Type.TypeName + " " + p.PropertyName + (p.DefaultLiteral is null ? "" : " = " + p.DefaultLiteral)).ToList();
        string head = $"{record.Accessibility} {newModifier}sealed partial record {record.RecordName}(";
        string oneLine = head + string.Join(", ", parameters) + ");";
        if (oneLine.Length <= MaxLineLength)
        {
            writer.WriteLine(oneLine);
            return;
        }
        writer.WriteLine(head);
        writer.Indentation++;
        for (int i = 0; i < parameters.Count; i++)
            writer.WriteLine(parameters[i] + (i < parameters.Count - 1 ? "," : ");"));
        writer.Indentation--;
    }

    /// <summary>Writes only the formatter, for a type the user declared (a processor's fitted state).</summary>
    public static void EmitFormatterOnly(SourceWriter writer, ParameterRecordSpec record, string qualifiedTypeName)
        => EmitFormatter(writer, record, qualifiedTypeName, "");

    private static void EmitFormatter(SourceWriter writer, ParameterRecordSpec record, string qualifiedRecordName, string newModifier)
    {
        string what = WireTypeEmitter.Quote(What(record));
        string formatter = record.FormatterName;

        writer.OpenBlock($$"""
            /// <summary>
            /// Reads and writes <see cref="{{qualifiedRecordName}}"/> as a MessagePack map keyed by parameter name: keys in any
            /// order, missing keys take their defaults, unknown keys are skipped, and a value of the wrong type fails with its key's name.
            /// </summary>
            {{GeneratedFile.Attributes}}
            {{record.Accessibility}} {{newModifier}}sealed class {{formatter}} : global::MessagePack.Formatters.IMessagePackFormatter<{{qualifiedRecordName}}>
            """);
        writer.WriteLine($$"""
            /// <summary>The shared instance; the formatter has no state.</summary>
            public static readonly {{formatter}} Instance = new {{formatter}}();

            """);
        foreach (var p in record.Parameters)
            writer.WriteLine($"private static readonly {WireTypeEmitter.CodecType(p.Type.TypeName)} {p.PropertyName}Codec = {WireTypeEmitter.Codec(p.Type)};");
        if (record.Parameters.Count > 0)
            writer.WriteLine();

        writer.OpenBlock($$"""
            /// <inheritdoc />
            public void Serialize(ref global::MessagePack.MessagePackWriter writer, {{qualifiedRecordName}} value, global::MessagePack.MessagePackSerializerOptions options)
            """);
        writer.WriteLine($$"""
            global::System.ArgumentNullException.ThrowIfNull(value);
            writer.WriteMapHeader({{record.Parameters.Count}});
            """);
        foreach (var p in record.Parameters)
            writer.WriteLine($$"""
                writer.Write({{WireTypeEmitter.Quote(p.Name)}});
                {{p.PropertyName}}Codec.Write(ref writer, value.{{p.PropertyName}});
                """);
        writer.CloseBlock();
        writer.WriteLine();

        writer.OpenBlock($$"""
            /// <inheritdoc />
            public {{qualifiedRecordName}} Deserialize(ref global::MessagePack.MessagePackReader reader, global::MessagePack.MessagePackSerializerOptions options)
            """);
        foreach (var p in record.Parameters)
        {
            writer.WriteLine($"{p.Type.TypeName} {p.LocalName} = {p.DefaultLiteral ?? "default!"};");
            if (p.DefaultLiteral is null)
                writer.WriteLine($"bool has_{p.Name} = false;");
        }
        writer.WriteLine($"int entries = {Reading}.ReadMapHeader(ref reader, {what});");
        writer.OpenBlock("for (int entry = 0; entry < entries; entry++)");
        writer.WriteLine($"string key = {Reading}.ReadKey(ref reader, {what});");
        writer.OpenBlock("switch (key)");
        foreach (var p in record.Parameters)
        {
            writer.WriteLine($"case {WireTypeEmitter.Quote(p.Name)}:");
            writer.Indentation++;
            writer.WriteLine($"{p.LocalName} = {p.PropertyName}Codec.Read(ref reader, {WireTypeEmitter.Quote(p.Name)});");
            if (p.DefaultLiteral is null)
                writer.WriteLine($"has_{p.Name} = true;");
            writer.WriteLine("break;");
            writer.Indentation--;
        }
        writer.WriteLine($"""
            default:
                {Reading}.Skip(ref reader, key);
                break;
            """);
        writer.CloseBlock();
        writer.CloseBlock();
        foreach (var p in record.Parameters.Where(p => p.DefaultLiteral is null))
            writer.WriteLine($"if (!has_{p.Name}) throw {Reading}.MissingKey({WireTypeEmitter.Quote(p.Name)}, {what});");
        writer.WriteLine($"return new {qualifiedRecordName}({string.Join(", ", record.Parameters.Select(p => p.LocalName))});");
        writer.CloseBlock();

        writer.CloseBlock();
    }

    /// <summary>The record's summary; the owning type is the record's container, named from the qualified record name.</summary>
    private static string Summary(ParameterRecordSpec record, string qualifiedRecordName)
    {
        string owner = qualifiedRecordName.Substring(0, qualifiedRecordName.Length - record.RecordName.Length - 1);
        return record.Purpose switch
        {
            RecordPurpose.Hyperparameters => $"""The hyperparameters of <see cref="{owner}"/>: one property per argument of its public constructor, with the same defaults.""",
            RecordPurpose.Parameters => $"""The parameters of <see cref="{owner}"/>: one property per argument of its public constructor, with the same defaults.""",
            _ => $"The arguments of the pod <c>{record.OwnerName}</c>: one property per parameter it receives over the wire.",
        };
    }

    /// <summary>How error messages name the map, e.g. "hyperparameters of Samples.ConvClassifier".</summary>
    private static string What(ParameterRecordSpec record) => record.Purpose switch
    {
        RecordPurpose.Hyperparameters => "hyperparameters of " + record.OwnerName,
        RecordPurpose.Parameters => "parameters of " + record.OwnerName,
        RecordPurpose.ProcessorState => "fitted state of " + record.OwnerName,
        _ => "arguments of " + record.OwnerName,
    };
}
