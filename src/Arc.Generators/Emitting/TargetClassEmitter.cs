using System.Linq;

namespace Arc.Generators;

/// <summary>
/// Writes the file for one <c>[Model]</c> or <c>[Job]</c> class: the parameter record and formatter, a
/// <c>Create</c> factory that calls the public constructor, the <c>Name</c> override, the typed <c>Registration</c>,
/// <c>DevelopAsync</c> and <c>Client</c> (<see cref="ClientEmitter"/>), and the module initializer that registers it
/// all with <c>ArcRegistry</c>.
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
        writer.Line();

        writer.Line("/// <summary>Creates a <see cref=\"" + spec.FullTypeName + "\"/> from <paramref name=\"" + argument + "\"/> by calling its public constructor.</summary>");
        writer.Line("/// <param name=\"" + argument + "\">The constructor's arguments.</param>");
        writer.Line(GeneratedFile.GeneratedCodeAttribute);
        // Create overloads the base class's Create (the parameter types differ), so it never needs "new".
        writer.Open("public static " + spec.FullTypeName + " Create(" + recordType + " " + argument + ")");
        writer.Line("global::System.ArgumentNullException.ThrowIfNull(" + argument + ");");
        writer.Line("return new " + spec.FullTypeName + "(" + string.Join(", ", spec.Record.Parameters.Select(p => argument + "." + p.PropertyName)) + ");");
        writer.Close();
        writer.Line();

        if (spec.OverridesName)
        {
            writer.Line("/// <summary>The name this " + kindWord + " is registered under: <c>" + spec.RegisteredName + "</c>.</summary>");
            writer.Line(GeneratedFile.GeneratedCodeAttribute);
            writer.Line("public override string Name => " + WireTypeEmitter.Quote(spec.RegisteredName) + ";");
            writer.Line();
        }

        ClientEmitter.EmitRegistration(writer, spec);
        writer.Line();
        ClientEmitter.EmitDevelop(writer, spec);
        writer.Line();
        ClientEmitter.EmitClient(writer, spec);
        writer.Line();

        writer.Line("/// <summary>Registers <see cref=\"" + spec.FullTypeName + "\"/> with <see cref=\"global::Arc.Sdk.ArcRegistry\"/> when the assembly loads.</summary>");
        writer.Line("[global::System.Runtime.CompilerServices.ModuleInitializer]");
        writer.Line(GeneratedFile.HiddenAttribute);
        writer.Line(GeneratedFile.GeneratedCodeAttribute);
        writer.Open("internal static " + newModifier + "void RegisterArc" + (isModel ? "Model" : "Job") + "()");
        writer.Line("global::Arc.Sdk.ArcRegistry.Register(Registration);");
        writer.Close();

        GeneratedFile.Close(writer, depth);
        return writer.ToString();
    }
}
