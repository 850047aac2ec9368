using System.Linq;

namespace Arc.Generators;

/// <summary>
/// Writes a positional record (hyperparameters, job parameters, pod arguments) and its MessagePack formatter: a map
/// keyed by the parameter names, read in any order, with missing keys taking their defaults (or failing when a
/// parameter has none), unknown keys skipped, and wrong types reported with the key's name.
/// </summary>
internal static class ParameterRecordEmitter
{
    private const string Reading = "global::Arc.Sdk.WireReading.";

    /// <summary>Longer record declarations get one parameter per line, to stay readable.</summary>
    private const int MaxLineLength = 120;

    /// <param name="writer">Positioned inside the type that will hold the record.</param>
    /// <param name="record">The record.</param>
    /// <param name="qualifiedRecordName">The record's fully qualified name.</param>
    /// <param name="newModifier"><c>"new "</c> when a base class has members of the same names, else empty.</param>
    public static void Emit(SourceWriter writer, ParameterRecordSpec record, string qualifiedRecordName, string newModifier)
    {
        EmitRecord(writer, record, qualifiedRecordName, newModifier);
        writer.Line();
        EmitFormatter(writer, record, qualifiedRecordName, newModifier);
    }

    private static void EmitRecord(SourceWriter writer, ParameterRecordSpec record, string qualifiedRecordName, string newModifier)
    {
        writer.Line("/// <summary>" + Summary(record, qualifiedRecordName) + "</summary>");
        foreach (var p in record.Parameters)
            writer.Line("/// <param name=\"" + p.PropertyName + "\">The <c>" + p.Name + "</c> parameter" + (p.DefaultLiteral is null ? " (required)" : "") + ".</param>");
        writer.Line(GeneratedFile.GeneratedCodeAttribute);
        var parameters = record.Parameters.Select(p => p.Type.TypeName + " " + p.PropertyName + (p.DefaultLiteral is null ? "" : " = " + p.DefaultLiteral)).ToList();
        string head = record.Accessibility + " " + newModifier + "sealed partial record " + record.RecordName + "(";
        string oneLine = head + string.Join(", ", parameters) + ");";
        if (oneLine.Length <= MaxLineLength)
        {
            writer.Line(oneLine);
            return;
        }
        writer.Line(head);
        writer.Indent();
        for (int i = 0; i < parameters.Count; i++)
            writer.Line(parameters[i] + (i < parameters.Count - 1 ? "," : ");"));
        writer.Dedent();
    }

    private static void EmitFormatter(SourceWriter writer, ParameterRecordSpec record, string qualifiedRecordName, string newModifier)
    {
        string what = WireTypeEmitter.Quote(What(record));

        writer.Line("/// <summary>");
        writer.Line("/// Reads and writes <see cref=\"" + qualifiedRecordName + "\"/> as a MessagePack map keyed by parameter name: keys in any");
        writer.Line("/// order, missing keys take their defaults, unknown keys are skipped, and a value of the wrong type fails with its key's name.");
        writer.Line("/// </summary>");
        writer.Line(GeneratedFile.GeneratedCodeAttribute);
        writer.Open(record.Accessibility + " " + newModifier + "sealed class " + record.FormatterName + " : global::MessagePack.Formatters.IMessagePackFormatter<" + qualifiedRecordName + ">");

        writer.Line("/// <summary>The shared instance; the formatter has no state.</summary>");
        writer.Line("public static readonly " + record.FormatterName + " Instance = new " + record.FormatterName + "();");
        writer.Line();
        foreach (var p in record.Parameters)
            writer.Line("private static readonly " + WireTypeEmitter.CodecType(p.Type.TypeName) + " " + p.PropertyName + "Codec = " + WireTypeEmitter.Codec(p.Type) + ";");
        if (record.Parameters.Count > 0)
            writer.Line();

        writer.Line("/// <inheritdoc />");
        writer.Open("public void Serialize(ref global::MessagePack.MessagePackWriter writer, " + qualifiedRecordName + " value, global::MessagePack.MessagePackSerializerOptions options)");
        writer.Line("global::System.ArgumentNullException.ThrowIfNull(value);");
        writer.Line("writer.WriteMapHeader(" + record.Parameters.Count + ");");
        foreach (var p in record.Parameters)
        {
            writer.Line("writer.Write(" + WireTypeEmitter.Quote(p.Name) + ");");
            writer.Line(p.PropertyName + "Codec.Write(ref writer, value." + p.PropertyName + ");");
        }
        writer.Close();
        writer.Line();

        writer.Line("/// <inheritdoc />");
        writer.Open("public " + qualifiedRecordName + " Deserialize(ref global::MessagePack.MessagePackReader reader, global::MessagePack.MessagePackSerializerOptions options)");
        foreach (var p in record.Parameters)
        {
            writer.Line(p.Type.TypeName + " " + p.LocalName + " = " + (p.DefaultLiteral ?? "default!") + ";");
            if (p.DefaultLiteral is null)
                writer.Line("bool has_" + p.Name + " = false;");
        }
        writer.Line("int entries = " + Reading + "ReadMapHeader(ref reader, " + what + ");");
        writer.Open("for (int entry = 0; entry < entries; entry++)");
        writer.Open("switch (" + Reading + "ReadKey(ref reader, " + what + "))");
        foreach (var p in record.Parameters)
        {
            writer.Line("case " + WireTypeEmitter.Quote(p.Name) + ":");
            writer.Indent();
            writer.Line(p.LocalName + " = " + p.PropertyName + "Codec.Read(ref reader, " + WireTypeEmitter.Quote(p.Name) + ");");
            if (p.DefaultLiteral is null)
                writer.Line("has_" + p.Name + " = true;");
            writer.Line("break;");
            writer.Dedent();
        }
        writer.Line("default:");
        writer.Indent();
        writer.Line(Reading + "Skip(ref reader);");
        writer.Line("break;");
        writer.Dedent();
        writer.Close();
        writer.Close();
        foreach (var p in record.Parameters.Where(p => p.DefaultLiteral is null))
            writer.Line("if (!has_" + p.Name + ") throw " + Reading + "MissingKey(" + WireTypeEmitter.Quote(p.Name) + ", " + what + ");");
        writer.Line("return new " + qualifiedRecordName + "(" + string.Join(", ", record.Parameters.Select(p => p.LocalName)) + ");");
        writer.Close();

        writer.Close();
    }

    /// <summary>The record's summary; the owning type is the record's container, named from the qualified record name.</summary>
    private static string Summary(ParameterRecordSpec record, string qualifiedRecordName)
    {
        string owner = qualifiedRecordName.Substring(0, qualifiedRecordName.Length - record.RecordName.Length - 1);
        return record.Purpose switch
        {
            RecordPurpose.Hyperparameters => "The hyperparameters of <see cref=\"" + owner + "\"/>: one property per argument of its public constructor, with the same defaults.",
            RecordPurpose.Parameters => "The parameters of <see cref=\"" + owner + "\"/>: one property per argument of its public constructor, with the same defaults.",
            _ => "The arguments of the pod <c>" + record.OwnerName + "</c>: one property per parameter it receives over the wire.",
        };
    }

    /// <summary>How error messages name the map, e.g. "hyperparameters of Samples.ConvClassifier".</summary>
    private static string What(ParameterRecordSpec record) => record.Purpose switch
    {
        RecordPurpose.Hyperparameters => "hyperparameters of " + record.OwnerName,
        RecordPurpose.Parameters => "parameters of " + record.OwnerName,
        _ => "arguments of " + record.OwnerName,
    };
}
