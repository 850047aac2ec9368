using Microsoft.CodeAnalysis;

namespace Arc.Generators;

/// <summary>
/// For each <c>[Model]</c> class: a nested <c>Hyperparameters</c> record taken from its public constructor, its
/// MessagePack formatter, a <c>Create</c> factory, and a module initializer registering a <c>ModelRegistration</c>.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ModelGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
        => TargetClassPipeline.Register(context, TargetKind.Model, KnownTypes.ModelAttribute, TrackingNames.ModelParse, TrackingNames.ModelSpec, TrackingNames.ModelNames);
}
