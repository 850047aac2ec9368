using System.Collections.Generic;
using System.Linq;

namespace Arc.Generators;

/// <summary>
/// Writes the file for one <c>[Pod]</c> method <c>M</c>: its argument record and formatter, a static <c>MPod</c> field
/// holding the <c>PodRegistration</c> (whose delegate calls the method with deserialized arguments), the module
/// initializer that registers that same instance, and the remote form <c>MRemoteAsync(PodWorker, ...)</c>.
/// </summary>
internal static class PodEmitter
{
    private const string Tasks = "global::System.Threading.Tasks";

    public static string Emit(PodSpec spec)
    {
        var writer = new SourceWriter();
        int depth = GeneratedFile.Open(writer, spec.Location);
        string recordType = spec.DeclaringTypeName + "." + spec.Arguments.RecordName;

        ParameterRecordEmitter.Emit(writer, spec.Arguments, recordType, newModifier: "");
        writer.WriteLine();
        EmitRegistration(writer, spec, recordType);
        writer.WriteLine();
        EmitRemoteForm(writer, spec, recordType);

        GeneratedFile.Close(writer, depth);
        return writer.ToString();
    }

    private static void EmitRegistration(SourceWriter writer, PodSpec spec, string recordType)
    {
        string resultType = spec.Result?.TypeName ?? "global::Arc.Sdk.NoResult";
        string resultCodec = spec.Result is null ? "global::Arc.Sdk.WireCodecs.NoResult" : WireTypeEmitter.Codec(spec.Result);
        string returnType = spec.Result is null ? "void" : WireTypeEmitter.RuntimeTypeName(spec.Result);
        string registrationType = $"global::Arc.Sdk.PodRegistration<{recordType}, {resultType}>";
        string formatter = recordType.Substring(0, recordType.Length - spec.Arguments.RecordName.Length) + spec.Arguments.FormatterName;
        // Method crefs would be ambiguous when the pod method has overloads, so the docs name it as code.
        string podName = $"<c>{spec.Location.TypeName}.{spec.MethodName}</c>";

        // A field takes no debugger or coverage attribute; the delegate it holds only calls the user's method.
        writer.WriteLine($"""
            /// <summary>The registration of the pod {podName}: how to call it from wire bytes, and what its remote form sends to a worker.</summary>
            {GeneratedFile.GeneratedCode}
            internal static readonly {registrationType} {spec.RegistrationMember} = new {registrationType}(
            """);
        writer.Indentation++;
        writer.WriteLine($"""
            {WireTypeEmitter.Quote(spec.RegisteredName)},
            typeof({spec.DeclaringTypeName}),
            {WireTypeEmitter.Quote(spec.MethodName)},
            """);
        if (spec.Arguments.Parameters.Count == 0)
        {
            writer.WriteLine("global::System.Array.Empty<global::Arc.Sdk.PodParameter>(),");
        }
        else
        {
            writer.OpenBlock("new global::Arc.Sdk.PodParameter[]");
            foreach (var p in spec.Arguments.Parameters)
                writer.WriteLine($"new global::Arc.Sdk.PodParameter({WireTypeEmitter.Quote(p.Name)}, typeof({WireTypeEmitter.RuntimeTypeName(p.Type)})),");
            writer.CloseBlock(",");
        }
        writer.WriteLine($"""
            typeof({returnType}),
            {formatter}.Instance,
            {resultCodec},
            """);
        EmitInvoker(writer, spec, resultType);
        writer.Indentation--;
        writer.WriteLine();

        writer.WriteLine($$"""
            /// <summary>Registers the pod {{podName}} with <see cref="global::Arc.Sdk.ArcRegistry"/> when the assembly loads.</summary>
            {{GeneratedFile.ModuleInitializerAttributes}}
            internal static void RegisterArcPod_{{spec.MethodName}}()
            {
                global::Arc.Sdk.ArcRegistry.Register({{spec.RegistrationMember}});
            }
            """);
    }

    /// <summary>The registration's last argument: a delegate that calls the method with the deserialized arguments.</summary>
    private static void EmitInvoker(SourceWriter writer, PodSpec spec, string resultType)
    {
        bool usesToken = spec.CallArguments.Any(a => a.Length == 0);
        string call = $"{spec.DeclaringTypeName}.{spec.MethodName}({string.Join(", ", spec.CallArguments.Select(a => a.Length == 0 ? "cancellationToken" : "arguments." + a))})";
        string head = $"static (arguments, {(usesToken ? "cancellationToken" : "_")}) =>";
        switch (spec.Shape)
        {
            case PodReturnShape.Value:
            case PodReturnShape.Task:
                writer.WriteLine($"{head} new {Tasks}.ValueTask<{resultType}>({call}));");
                break;
            case PodReturnShape.ValueTask:
                writer.WriteLine($"{head} {call});");
                break;
            case PodReturnShape.Void:
                writer.WriteLine($$"""
                    {{head}}
                    {
                        {{call}};
                        return new {{Tasks}}.ValueTask<global::Arc.Sdk.NoResult>(default(global::Arc.Sdk.NoResult));
                    });
                    """);
                break;
            default:
                writer.WriteLine($"{head} global::Arc.Sdk.NoResult.After({call}));");
                break;
        }
    }

    // The remote form takes the serialized parameters in the method's order with their defaults, the worker first and
    // a token last, so that a call reads like the method's own.
    private static void EmitRemoteForm(SourceWriter writer, PodSpec spec, string recordType)
    {
        var parameters = spec.Arguments.Parameters;
        string worker = parameters.Any(p => p.Name == "worker") ? "podWorker" : "worker";
        string token = parameters.Any(p => p.Name == "cancellationToken") ? "remoteCancellationToken" : "cancellationToken";
        string returns = spec.Result is null ? Tasks + ".Task" : $"{Tasks}.Task<{spec.Result.TypeName}>";
        var signature = new List<string> { "global::Arc.Sdk.PodWorker " + worker };
        signature.AddRange(parameters.Select(p => p.Type.TypeName + " " + NameRules.Identifier(p.Name) + (p.DefaultLiteral is null ? "" : " = " + p.DefaultLiteral)));
        signature.Add($"global::System.Threading.CancellationToken {token} = default");
        string arguments = $"new {recordType}({string.Join(", ", parameters.Select(p => NameRules.Identifier(p.Name)))})";

        writer.WriteLine($$"""
            /// <summary>
            /// Runs the pod <c>{{spec.Location.TypeName}}.{{spec.MethodName}}</c> on <paramref name="{{worker}}"/> (from <c>Target.DeployPodsAsync</c>): in this process,
            /// or in a worker with the arguments and the result in their wire form.
            /// </summary>
            {{GeneratedFile.Attributes}}
            {{spec.Accessibility}} static async {{returns}} {{spec.RemoteName}}({{string.Join(", ", signature)}})
            {
                global::System.ArgumentNullException.ThrowIfNull({{worker}});
                {{(spec.Result is null ? "" : "return ")}}await {{worker}}.InvokeAsync({{spec.RegistrationMember}}, {{arguments}}, {{token}}).ConfigureAwait(false);
            }
            """);
    }
}
