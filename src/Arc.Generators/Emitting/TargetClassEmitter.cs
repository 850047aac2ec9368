using System.Linq;

namespace Arc.Generators;

/// <summary>
/// Writes the file for one <c>[Model]</c> or <c>[Job]</c> class: the parameter record and formatter, a
/// <c>Create</c> factory that calls the public constructor, the <c>Name</c> override, the typed <c>Registration</c>,
/// the <c>DeployAsync</c> (and a model's <c>DevelopAsync</c>) entry points and the <c>Client</c>
/// (<see cref="ClientEmitter"/>), and the module initializer that registers it all with <c>ArcRegistry</c>.
/// </summary>
internal static class TargetClassEmitter
{
    public static string Emit(TargetClassSpec spec)
    {
        var writer = new SourceWriter();
        int depth = GeneratedFile.Open(writer, spec.Location);
        bool isModel = spec.Kind == TargetKind.Model;
        string newModifier = spec.HidesInheritedMembers ? "new " : "";
        string recordType = spec.FullTypeName + "." + spec.Record.RecordName;
        string argument = isModel ? "hyperparameters" : "parameters";
        string kindWord = isModel ? "model" : "job";

        ParameterRecordEmitter.Emit(writer, spec.Record, recordType, newModifier);
        writer.WriteLine();

        // Create overloads the base class's Create (the parameter types differ), so it never needs "new".
        writer.WriteLine($$"""
            /// <summary>Creates a <see cref="{{spec.FullTypeName}}"/> from <paramref name="{{argument}}"/> by calling its public constructor.</summary>
            /// <param name="{{argument}}">The constructor's arguments.</param>
            {{GeneratedFile.Attributes}}
            public static {{spec.FullTypeName}} Create({{recordType}} {{argument}})
            {
                global::System.ArgumentNullException.ThrowIfNull({{argument}});
                // Remembered, so that training with a recorder can record what the object was made with.
                return global::Arc.Sdk.ModelOrigins.Remember(new {{spec.FullTypeName}}({{string.Join(", ", spec.Record.Parameters.Select(p => argument + "." + p.PropertyName))}}), Registration, {{argument}});
            }

            """);

        if (spec.OverridesName)
            writer.WriteLine($$"""
                /// <summary>The name this {{kindWord}} is registered under: <c>{{spec.RegisteredName}}</c>.</summary>
                {{GeneratedFile.Attributes}}
                public override string Name => {{WireTypeEmitter.Quote(spec.RegisteredName)}};

                """);

        if (spec.OverridesContract)
            writer.WriteLine($$"""
                /// <summary>The contract this {{kindWord}} states with its attributes: <see cref="Registration"/>'s.</summary>
                {{GeneratedFile.Attributes}}
                public override global::Arc.Types.DataContract Contract => Registration.Contract;

                """);

        ClientEmitter.EmitRegistration(writer, spec);
        writer.WriteLine();
        ClientEmitter.EmitEntryPoints(writer, spec);
        writer.WriteLine();
        ClientEmitter.EmitClient(writer, spec);
        writer.WriteLine();

        writer.WriteLine($$"""
            /// <summary>Registers <see cref="{{spec.FullTypeName}}"/> with <see cref="global::Arc.Sdk.ArcRegistry"/> when the assembly loads.</summary>
            {{GeneratedFile.ModuleInitializerAttributes}}
            internal static {{newModifier}}void RegisterArc{{(isModel ? "Model" : "Job")}}()
            {
                global::Arc.Sdk.ArcRegistry.Register(Registration);
            }
            """);

        GeneratedFile.Close(writer, depth);
        return writer.ToString();
    }
}
