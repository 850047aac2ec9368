namespace Arc.Generators;

/// <summary>
/// Writes <c>&lt;Model&gt;.TrainingModule.g.cs</c> for one <c>[Model]</c> class: a nested <c>TrainingModule</c>, seed
/// 004's training protocol (<c>Arc.Sdk.ITrainingModule</c>) for this model — all of its behaviour is the hand-written
/// <c>Arc.Sdk.ModelTrainingModule</c> — and a module initializer that registers it with <c>Arc.Sdk.ProtocolModules</c>,
/// so that a model archive naming the model finds it without reflection.
/// </summary>
internal static class TrainingModuleEmitter
{
    public static string HintName(TargetClassSpec spec) => spec.Location.HintPrefix + ".TrainingModule.g.cs";

    public static string Emit(TargetClassSpec spec)
    {
        var writer = new SourceWriter();
        int depth = GeneratedFile.Open(writer, spec.Location);
        string newModifier = spec.HidesInheritedMembers ? "new " : "";
        string model = spec.FullTypeName;
        string record = model + "." + spec.Record.RecordName;
        string typeArguments = $"<{model}, {record}, {spec.InputType}, {spec.OutputType}>";
        writer.WriteLine($$"""
            /// <summary>
            /// Trains <see cref="{{model}}"/> as seed 004's training protocol asks (<see cref="global::Arc.Sdk.ITrainingModule"/>):
            /// <c>arc train</c> runs it from a model archive or module dir, with <c>--job &lt;name&gt;</c> and the model's options.
            /// </summary>
            {{GeneratedFile.Attributes}}
            {{spec.Record.Accessibility}} {{newModifier}}sealed class TrainingModule : global::Arc.Sdk.ModelTrainingModule{{typeArguments}}
            {
                /// <summary>A training module for <see cref="{{model}}"/>.</summary>
                public TrainingModule()
                    : base({{model}}.Registration)
                {
                }
            }

            /// <summary>Registers <see cref="TrainingModule"/> with <see cref="global::Arc.Sdk.ProtocolModules"/> when the assembly loads.</summary>
            {{GeneratedFile.ModuleInitializerAttributes}}
            internal static {{newModifier}}void RegisterArcTrainingModule()
            {
                global::Arc.Sdk.ProtocolModules.Register<global::Arc.Sdk.ITrainingModule>(typeof({{model}}), static () => new TrainingModule());
            }
            """);
        GeneratedFile.Close(writer, depth);
        return writer.ToString();
    }
}
