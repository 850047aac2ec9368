using System.Linq;
using Arc.Generators.Models;

namespace Arc.Generators.Emitting;

/// <summary>
/// Writes the file for one <c>[Pod]</c> method: its argument record and formatter, and the module initializer that
/// registers a <c>PodRegistration</c> whose delegate calls the method with deserialized arguments.
/// </summary>
internal static class PodEmitter
{
    private const string Tasks = "global::System.Threading.Tasks.";

    public static string Emit(PodSpec spec)
    {
        var writer = new SourceWriter();
        int depth = GeneratedFile.Open(writer, spec.Location);
        string recordType = spec.DeclaringTypeName + "." + spec.Arguments.RecordName;
        string method = spec.DeclaringTypeName + "." + spec.MethodName;

        ParameterRecordEmitter.Emit(writer, spec.Arguments, recordType, newModifier: "");
        writer.Line();

        string resultType = spec.Result?.TypeName ?? "global::Arc.Registration.NoResult";
        string resultCodec = spec.Result is null ? "global::Arc.Registration.WireCodecs.NoResult" : WireTypeEmitter.Codec(spec.Result);
        string returnType = spec.Result is null ? "void" : WireTypeEmitter.RuntimeTypeName(spec.Result);
        bool usesToken = spec.CallArguments.Any(a => a.Length == 0);
        string call = method + "(" + string.Join(", ", spec.CallArguments.Select(a => a.Length == 0 ? "cancellationToken" : "arguments." + a)) + ")";
        string lambdaHead = "static (arguments, " + (usesToken ? "cancellationToken" : "_") + ") => ";

        // Method crefs would be ambiguous when the pod method has overloads, so the docs name it as code.
        writer.Line("/// <summary>Registers the pod <c>" + spec.Location.TypeName + "." + spec.MethodName + "</c> with <see cref=\"global::Arc.Registration.ArcRegistry\"/> when the assembly loads.</summary>");
        writer.Line("[global::System.Runtime.CompilerServices.ModuleInitializer]");
        writer.Line(GeneratedFile.HiddenAttribute);
        writer.Line(GeneratedFile.GeneratedCodeAttribute);
        writer.Open("internal static void RegisterArcPod_" + spec.MethodName + "()");
        writer.Line("global::Arc.Registration.ArcRegistry.Register(new global::Arc.Registration.PodRegistration<" + recordType + ", " + resultType + ">(");
        writer.Indent();
        writer.Line(WireTypeEmitter.Quote(spec.RegisteredName) + ",");
        writer.Line("typeof(" + spec.DeclaringTypeName + "),");
        writer.Line(WireTypeEmitter.Quote(spec.MethodName) + ",");
        if (spec.Arguments.Parameters.Count == 0)
        {
            writer.Line("global::System.Array.Empty<global::Arc.Registration.PodParameter>(),");
        }
        else
        {
            writer.Line("new global::Arc.Registration.PodParameter[]");
            writer.Line("{");
            writer.Indent();
            foreach (var p in spec.Arguments.Parameters)
                writer.Line("new global::Arc.Registration.PodParameter(" + WireTypeEmitter.Quote(p.Name) + ", typeof(" + WireTypeEmitter.RuntimeTypeName(p.Type) + ")),");
            writer.Dedent();
            writer.Line("},");
        }
        writer.Line("typeof(" + returnType + "),");
        writer.Line(recordType.Substring(0, recordType.Length - spec.Arguments.RecordName.Length) + spec.Arguments.FormatterName + ".Instance,");
        writer.Line(resultCodec + ",");
        switch (spec.Shape)
        {
            case PodReturnShape.Value:
            case PodReturnShape.Task:
                writer.Line(lambdaHead + "new " + Tasks + "ValueTask<" + resultType + ">(" + call + ")));");
                break;
            case PodReturnShape.ValueTask:
                writer.Line(lambdaHead + call + "));");
                break;
            case PodReturnShape.Void:
                writer.Line(lambdaHead.TrimEnd());
                writer.Line("{");
                writer.Indent();
                writer.Line(call + ";");
                writer.Line("return new " + Tasks + "ValueTask<global::Arc.Registration.NoResult>(default(global::Arc.Registration.NoResult));");
                writer.Dedent();
                writer.Line("}));");
                break;
            default:
                writer.Line(lambdaHead + "global::Arc.Registration.NoResult.After(" + call + ")));");
                break;
        }
        writer.Dedent();
        writer.Close();

        GeneratedFile.Close(writer, depth);
        return writer.ToString();
    }
}
