using System.Collections.Generic;
using System.Linq;

namespace Arc.Generators;

/// <summary>
/// Writes the remote side of one <c>[Model]</c> or <c>[Job]</c> class: the typed <c>Registration</c>, the static entry
/// points that start an instance on a <c>Target</c> from typed (hyper)parameters (<c>DeployAsync</c>, and for a model
/// <c>DevelopAsync</c>, develop mode), and the nested <c>Client</c>. The client holds only its constructor: every call
/// it makes is hand-written once in Arc.Sdk's <c>ModelClientBase</c> / <c>JobClientBase</c>.
/// </summary>
internal static class ClientEmitter
{
    private const string Target = "global::Arc.Sdk.Target";
    private const string CancellationToken = "global::System.Threading.CancellationToken";

    /// <summary>The <c>Registration</c> property, which the module initializer registers.</summary>
    public static void EmitRegistration(SourceWriter writer, TargetClassSpec spec)
    {
        var names = new Names(spec);
        writer.WriteLine($$"""
            /// <summary>
            /// How <see cref="{{spec.FullTypeName}}"/> is registered with <see cref="global::Arc.Sdk.ArcRegistry"/> (as <c>{{spec.RegisteredName}}</c>):
            /// its {{names.RecordWord}} in wire form and how to create it, which is what lets a worker elsewhere create it by name.
            /// </summary>
            {{GeneratedFile.Attributes}}
            public static {{(spec.HidesInheritedClient ? "new " : "")}}{{names.RegistrationType}} Registration { get; } = new(
                {{WireTypeEmitter.Quote(spec.RegisteredName)}},
                static {{names.Argument}} => Create({{names.Argument}}),
                {{spec.FullTypeName}}.{{spec.Record.FormatterName}}.Instance,
                new {{names.RecordType}}()){{(spec.Contract is null ? "" : "\n{\n    Contract = " + spec.Contract.Expression + ",\n}")}};
            """);
    }

    /// <summary>
    /// The entry points: <c>DeployAsync</c> runs the class as built on a target; a model's <c>DevelopAsync</c> runs it in
    /// develop mode (hot reload). Each has two overloads: one parameter per constructor argument, and the record.
    /// </summary>
    public static void EmitEntryPoints(SourceWriter writer, TargetClassSpec spec)
    {
        var names = new Names(spec);
        EmitEntryPoint(writer, spec, names, new EntryPoint(
            "DeployAsync",
            $"where <paramref name=\"{{0}}\"/> runs {names.KindWord}s",
            $"""
            /// It runs the code as built, wherever the target says: in this process, a loopback worker, a child process, a
            /// Kubernetes pod.
            """,
            $"""Where the {names.KindWord} runs, e.g. <see cref="global::Arc.Sdk.Target.LocalProcess"/>.""",
            $"Cancels starting the {names.KindWord}."));
        if (spec.Kind != TargetKind.Model)
            return;
        writer.WriteLine();
        EmitEntryPoint(writer, spec, names, new EntryPoint(
            "DevelopAsync",
            "in develop mode on <paramref name=\"{0}\"/>",
            """
            /// Develop mode keeps one worker and hot-reloads your rebuilt code into it (the client's <c>ReloadAsync</c> and
            /// <c>Watch</c>); it runs on <see cref="global::Arc.Sdk.Target.LocalProcess"/>, other targets throw <see cref="global::System.NotSupportedException"/>.
            """,
            """Where the model runs in develop mode: <see cref="global::Arc.Sdk.Target.LocalProcess"/> or <see cref="global::Arc.Sdk.Target.LocalProcessWith"/>.""",
            "Cancels starting the worker and loading the model."));
    }

    /// <summary>The words of one entry point's docs; <see cref="Where"/> has <c>{0}</c> for the target parameter's name.</summary>
    private readonly record struct EntryPoint(string Verb, string Where, string Remarks, string TargetDoc, string CancelDoc);

    private static void EmitEntryPoint(SourceWriter writer, TargetClassSpec spec, Names names, EntryPoint entry)
    {
        var parameters = spec.Record.Parameters;
        var taken = new HashSet<string>(parameters.Select(p => p.Name));
        string target = FreeName("target", taken);
        string cancellation = FreeName("cancellationToken", taken);
        string clientTask = $"global::System.Threading.Tasks.Task<{names.ClientType}>";
        string hides = spec.HidesInheritedEntryPoints ? "new " : "";
        var signature = new List<string> { $"{Target} {target}" };
        signature.AddRange(parameters.Select(p => p.Type.TypeName + " " + NameRules.Identifier(p.Name) + (p.DefaultLiteral is null ? "" : " = " + p.DefaultLiteral)));
        signature.Add($"{CancellationToken} {cancellation} = default");
        string arguments = string.Join(", ", parameters.Select(p => NameRules.Identifier(p.Name)));

        writer.WriteLine($$"""
            /// <summary>
            /// Creates a <see cref="{{spec.FullTypeName}}"/> with these {{names.RecordWord}} {{string.Format(entry.Where, target)}} and returns its typed
            /// <see cref="{{names.ClientType}}"/>; dispose the client (<c>await using</c>) to release it.
            {{entry.Remarks}}
            /// </summary>
            /// <param name="{{target}}">{{entry.TargetDoc}}</param>
            """);
        foreach (var p in parameters)
            writer.WriteLine($"""/// <param name="{p.Name}">The constructor's <c>{p.Name}</c> argument{(p.DefaultLiteral is null ? " (required)" : "")}.</param>""");
        writer.WriteLine($$"""
            /// <param name="{{cancellation}}">{{entry.CancelDoc}}</param>
            {{GeneratedFile.Attributes}}
            public static {{hides}}{{clientTask}} {{entry.Verb}}({{string.Join(", ", signature)}})
                => {{entry.Verb}}({{target}}, new {{names.RecordType}}({{arguments}}), {{cancellation}});

            """);

        // The record overload never hides a base's: the record type is the class's own, so it is an overload there.
        writer.WriteLine($$"""
            /// <summary>
            /// Creates a <see cref="{{spec.FullTypeName}}"/> from <paramref name="{{names.Argument}}"/> {{string.Format(entry.Where, "target")}} and returns its typed
            /// <see cref="{{names.ClientType}}"/>; dispose the client (<c>await using</c>) to release it.
            {{entry.Remarks}}
            /// </summary>
            /// <param name="target">{{entry.TargetDoc}}</param>
            /// <param name="{{names.Argument}}">The constructor's arguments.</param>
            /// <param name="cancellationToken">{{entry.CancelDoc}}</param>
            {{GeneratedFile.Attributes}}
            public static async {{clientTask}} {{entry.Verb}}({{Target}} target, {{names.RecordType}} {{names.Argument}}, {{CancellationToken}} cancellationToken = default)
                => new {{names.ClientType}}(await {{spec.FullTypeName}}.Registration.{{entry.Verb}}(target, {{names.Argument}}, cancellationToken).ConfigureAwait(false), target, {{names.Argument}});
            """);
    }

    /// <summary>The nested <c>Client</c>: a constructor over the hand-written base, which makes every call.</summary>
    public static void EmitClient(SourceWriter writer, TargetClassSpec spec)
    {
        var names = new Names(spec);
        string startedBy = spec.Kind == TargetKind.Model ? "<c>DeployAsync</c> or <c>DevelopAsync</c>" : "<c>DeployAsync</c>";
        writer.WriteLine($$"""
            /// <summary>
            /// The typed client of a deployed <see cref="{{spec.FullTypeName}}"/>: the same calls as the local class, going wherever its
            /// <c>Target</c> runs the {{names.KindWord}}; <see cref="{{names.BaseCref}}"/> makes them all.
            /// Get one from {{startedBy}}; dispose it to release the {{names.KindWord}}.
            /// </summary>
            {{GeneratedFile.Attributes}}
            public {{(spec.HidesInheritedClient ? "new " : "")}}sealed class Client : {{names.ClientBase}}
            {
                internal Client({{names.DeployedInterface}} deployed, {{Target}} target, {{names.RecordType}} {{names.Argument}})
                    : base({{spec.FullTypeName}}.Registration, deployed, target, {{names.Argument}})
                {
                }
            }
            """);
    }

    /// <summary><paramref name="wanted"/>, or the first of <c>arcWanted</c>, <c>arcWanted2</c>... no constructor parameter uses.</summary>
    private static string FreeName(string wanted, HashSet<string> taken)
    {
        if (!taken.Contains(wanted)) return wanted;
        string prefixed = "arc" + char.ToUpperInvariant(wanted[0]) + wanted.Substring(1);
        string name = prefixed;
        for (int n = 2; taken.Contains(name); n++)
            name = prefixed + n;
        return name;
    }

    /// <summary>The type names and words that differ between models and jobs.</summary>
    private readonly struct Names
    {
        public Names(TargetClassSpec spec)
        {
            bool isModel = spec.Kind == TargetKind.Model;
            RecordType = spec.FullTypeName + "." + spec.Record.RecordName;
            Argument = isModel ? "hyperparameters" : "parameters";
            RecordWord = isModel ? "hyperparameters" : "parameters";
            KindWord = isModel ? "model" : "job";
            ClientType = spec.FullTypeName + ".Client";
            string typeArguments = $"<{spec.FullTypeName}, {RecordType}, {spec.InputType}, {spec.OutputType}>";
            RegistrationType = (isModel ? "global::Arc.Sdk.ModelRegistration" : "global::Arc.Sdk.JobRegistration") + typeArguments;
            ClientBase = (isModel ? "global::Arc.Sdk.ModelClientBase" : "global::Arc.Sdk.JobClientBase") + typeArguments;
            BaseCref = isModel ? "global::Arc.Sdk.ModelClientBase{TModel, THyperparameters, X, Y}" : "global::Arc.Sdk.JobClientBase{TJob, TParameters, X, Y}";
            DeployedInterface = (isModel ? "global::Arc.Remote.IDeployedModel" : "global::Arc.Sdk.IDeployedJob") + $"<{spec.InputType}, {spec.OutputType}>";
        }

        public string RecordType { get; }
        public string Argument { get; }
        public string RecordWord { get; }
        public string KindWord { get; }
        public string ClientType { get; }
        public string RegistrationType { get; }
        public string ClientBase { get; }
        public string BaseCref { get; }
        public string DeployedInterface { get; }
    }
}
