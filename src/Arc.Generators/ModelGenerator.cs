using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Arc.Generators;

/// <summary>
/// For each <c>[Model]</c> class: a nested <c>Hyperparameters</c> record taken from its public constructor, its
/// MessagePack formatter, a <c>Create</c> factory, the typed <c>Registration</c>, <c>DeployAsync</c>/<c>DevelopAsync</c>
/// and <c>Client</c>, and a module initializer registering it (<see cref="GeneratorPipeline"/>); and, each in its own
/// file, its <c>TrainingModule</c> (<see cref="TrainingModuleEmitter"/>) and <c>InferenceModule</c> (<see cref="InferenceModuleEmitter"/>).
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
        // Seed 004's training protocol: <Model>.TrainingModule.g.cs.
        context.RegisterSourceOutput(specs, static (output, spec) => output.AddSource(TrainingModuleEmitter.HintName(spec), TrainingModuleEmitter.Emit(spec)));
        // Seed 004's inference protocol: <Model>.InferenceModule.g.cs.
        context.RegisterSourceOutput(specs, static (output, spec) => output.AddSource(InferenceModuleEmitter.HintName(spec), InferenceModuleEmitter.Emit(spec)));
    }
}
