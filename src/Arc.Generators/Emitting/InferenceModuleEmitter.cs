namespace Arc.Generators;

/// <summary>
/// Writes <c>&lt;Model&gt;.InferenceModule.g.cs</c> for one <c>[Model]</c> class: a nested <c>InferenceModule</c> (the
/// inference protocol of seed 004 through its X/Y content types, all of it in Arc.Sdk's
/// <c>InferenceModule&lt;TModel, X, Y&gt;</c>) and a module initializer that registers it with
/// <c>ProtocolModules</c>, so that a server loading the assembly finds it by the model's type or name.
/// </summary>
internal static class InferenceModuleEmitter
{
    /// <summary>The file's name: the type's hint prefix and <c>.InferenceModule.g.cs</c>.</summary>
    public static string HintName(TargetClassSpec spec) => spec.Location.HintPrefix + ".InferenceModule.g.cs";

    public static string Emit(TargetClassSpec spec)
    {
        var writer = new SourceWriter();
        int depth = GeneratedFile.Open(writer, spec.Location);
        string newModifier = spec.HidesInheritedMembers ? "new " : "";
        writer.WriteLine($$"""
            /// <summary>
            /// The inference protocol for <see cref="{{spec.FullTypeName}}"/>: loads a model directory, reads requests in
            /// the content types its input has, predicts, and answers in the type the caller accepts (docs/serving.md).
            /// </summary>
            {{GeneratedFile.Attributes}}
            {{spec.Record.Accessibility}} {{newModifier}}sealed class InferenceModule : global::Arc.Sdk.InferenceModule<{{spec.FullTypeName}}, {{spec.InputType}}, {{spec.OutputType}}>
            {
                /// <summary>A module for <see cref="{{spec.FullTypeName}}"/> and its <see cref="Registration"/>.</summary>
                public InferenceModule() : base({{spec.FullTypeName}}.Registration)
                {
                }
            }

            /// <summary>Registers <see cref="InferenceModule"/> with <see cref="global::Arc.Sdk.ProtocolModules"/> when the assembly loads.</summary>
            {{GeneratedFile.ModuleInitializerAttributes}}
            internal static {{newModifier}}void RegisterArcInferenceModule()
            {
                global::Arc.Sdk.ProtocolModules.Register<global::Arc.Sdk.IInferenceModule>(typeof({{spec.FullTypeName}}), static () => new InferenceModule());
            }
            """);
        GeneratedFile.Close(writer, depth);
        return writer.ToString();
    }
}
