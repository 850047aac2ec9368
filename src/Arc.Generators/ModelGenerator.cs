using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Arc.Generators;

/// <summary>
/// For each <c>[Model]</c> class: a nested <c>Hyperparameters</c> record taken from its public constructor, its
/// MessagePack formatter, a <c>Create</c> factory, the typed <c>Registration</c>, <c>DeployAsync</c>/<c>DevelopAsync</c>
/// and <c>Client</c>, and a module initializer registering it (<see cref="GeneratorPipeline"/>); in a second file its
/// <c>InferenceModule</c> (<see cref="InferenceModuleEmitter"/>).
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ModelGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var specs = GeneratorPipeline.Register(context, PipelineKind.Model,
            // Any type declaration, so that [Model] on a record or struct is reported (ARC0002/ARC0003) rather than ignored.
            static (node, _) => node is TypeDeclarationSyntax,
            static (syntax, cancellationToken) => TargetClassParser.Parse(syntax, TargetKind.Model, cancellationToken),
            TargetClassEmitter.Emit);
        // Its own file per model, so that the protocols' emitters (inference here, training elsewhere) stay apart.
        context.RegisterSourceOutput(specs, static (output, spec) => output.AddSource(InferenceModuleEmitter.HintName(spec), InferenceModuleEmitter.Emit(spec)));
    }
}
