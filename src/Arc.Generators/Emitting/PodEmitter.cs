using System.Linq;

namespace Arc.Generators;

/// <summary>
/// Writes the file for one <c>[Pod]</c> method <c>M</c>: its argument record and formatter, a static <c>MPod</c> field
/// holding the <c>PodRegistration</c> (whose delegate calls the method with deserialized arguments), the module
/// initializer that registers that same instance, and the remote form <c>MRemoteAsync(PodWorker, ...)</c>.
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

        string resultType = spec.Result?.TypeName ?? "global::Arc.Sdk.NoResult";
        string resultCodec = spec.Result is null ? "global::Arc.Sdk.WireCodecs.NoResult" : WireTypeEmitter.Codec(spec.Result);
        string returnType = spec.Result is null ? "void" : WireTypeEmitter.RuntimeTypeName(spec.Result);
        bool usesToken = spec.CallArguments.Any(a => a.Length == 0);
        string call = method + "(" + string.Join(", ", spec.CallArguments.Select(a => a.Length == 0 ? "cancellationToken" : "arguments." + a)) + ")";
        string lambdaHead = "static (arguments, " + (usesToken ? "cancellationToken" : "_") + ") => ";

        string registrationType = "global::Arc.Sdk.PodRegistration<" + recordType + ", " + resultType + ">";
        string podName = "<c>" + spec.Location.TypeName + "." + spec.MethodName + "</c>";

        // Method crefs would be ambiguous when the pod method has overloads, so the docs name it as code.
        writer.Line("/// <summary>The registration of the pod " + podName + ": how to call it from wire bytes, and what its remote form sends to a worker.</summary>");
        writer.Line(GeneratedFile.GeneratedCodeAttribute);
        writer.Line("internal static readonly " + registrationType + " " + spec.RegistrationMember + " = new " + registrationType + "(");
        writer.Indent();
        writer.Line(WireTypeEmitter.Quote(spec.RegisteredName) + ",");
        writer.Line("typeof(" + spec.DeclaringTypeName + "),");
        writer.Line(WireTypeEmitter.Quote(spec.MethodName) + ",");
        if (spec.Arguments.Parameters.Count == 0)
        {
            writer.Line("global::System.Array.Empty<global::Arc.Sdk.PodParameter>(),");
        }
        else
        {
            writer.Line("new global::Arc.Sdk.PodParameter[]");
            writer.Line("{");
            writer.Indent();
            foreach (var p in spec.Arguments.Parameters)
                writer.Line("new global::Arc.Sdk.PodParameter(" + WireTypeEmitter.Quote(p.Name) + ", typeof(" + WireTypeEmitter.RuntimeTypeName(p.Type) + ")),");
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
                writer.Line(lambdaHead + "new " + Tasks + "ValueTask<" + resultType + ">(" + call + "));");
                break;
            case PodReturnShape.ValueTask:
                writer.Line(lambdaHead + call + ");");
                break;
            case PodReturnShape.Void:
                writer.Line(lambdaHead.TrimEnd());
                writer.Line("{");
                writer.Indent();
                writer.Line(call + ";");
                writer.Line("return new " + Tasks + "ValueTask<global::Arc.Sdk.NoResult>(default(global::Arc.Sdk.NoResult));");
                writer.Dedent();
                writer.Line("});");
                break;
            default:
                writer.Line(lambdaHead + "global::Arc.Sdk.NoResult.After(" + call + "));");
                break;
        }
        writer.Dedent();
        writer.Line();

        writer.Line("/// <summary>Registers the pod " + podName + " with <see cref=\"global::Arc.Sdk.ArcRegistry\"/> when the assembly loads.</summary>");
        writer.Line("[global::System.Runtime.CompilerServices.ModuleInitializer]");
        writer.Line(GeneratedFile.HiddenAttribute);
        writer.Line(GeneratedFile.GeneratedCodeAttribute);
        writer.Open("internal static void RegisterArcPod_" + spec.MethodName + "()");
        writer.Line("global::Arc.Sdk.ArcRegistry.Register(" + spec.RegistrationMember + ");");
        writer.Close();
        writer.Line();

        EmitRemoteForm(writer, spec, recordType);

        GeneratedFile.Close(writer, depth);
        return writer.ToString();
    }

    // The remote form takes the serialized parameters in the method's order with their defaults, the worker first and
    // a token last, so that a call reads like the method's own.
    private static void EmitRemoteForm(SourceWriter writer, PodSpec spec, string recordType)
    {
        var parameters = spec.Arguments.Parameters;
        string worker = parameters.Any(p => p.Name == "worker") ? "podWorker" : "worker";
        string token = parameters.Any(p => p.Name == "cancellationToken") ? "remoteCancellationToken" : "cancellationToken";
        string returns = spec.Result is null ? Tasks + "Task" : Tasks + "Task<" + spec.Result.TypeName + ">";
        var signature = new System.Collections.Generic.List<string> { "global::Arc.Sdk.PodWorker " + worker };
        signature.AddRange(parameters.Select(p => p.Type.TypeName + " " + Identifier(p.Name) + (p.DefaultLiteral is null ? "" : " = " + p.DefaultLiteral)));
        signature.Add("global::System.Threading.CancellationToken " + token + " = default");

        writer.Line("/// <summary>");
        writer.Line("/// Runs the pod <c>" + spec.Location.TypeName + "." + spec.MethodName + "</c> on <paramref name=\"" + worker + "\"/> (from <c>Target.StartPodsAsync</c>): in this process,");
        writer.Line("/// or in a worker with the arguments and the result in their wire form.");
        writer.Line("/// </summary>");
        writer.Line(GeneratedFile.GeneratedCodeAttribute);
        writer.Open(spec.Accessibility + " static async " + returns + " " + spec.RemoteName + "(" + string.Join(", ", signature) + ")");
        writer.Line("global::System.ArgumentNullException.ThrowIfNull(" + worker + ");");
        string arguments = "new " + recordType + "(" + string.Join(", ", parameters.Select(p => Identifier(p.Name))) + ")";
        writer.Line((spec.Result is null ? "" : "return ") + "await " + worker + ".InvokeAsync(" + spec.RegistrationMember + ", " + arguments + ", " + token + ").ConfigureAwait(false);");
        writer.Close();
    }

    private static string Identifier(string name)
        => Microsoft.CodeAnalysis.CSharp.SyntaxFacts.IsReservedKeyword(Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(name)) ? "@" + name : name;
}
