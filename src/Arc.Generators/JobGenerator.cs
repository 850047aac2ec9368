using Microsoft.CodeAnalysis;

namespace Arc.Generators;

/// <summary>
/// For each <c>[Job]</c> class: a nested <c>Parameters</c> record taken from its public constructor, its
/// MessagePack formatter, a <c>Create</c> factory, and a module initializer registering a <c>JobRegistration</c>.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class JobGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
        => TargetClassPipeline.Register(context, TargetKind.Job, KnownTypes.JobAttribute, TrackingNames.JobParse, TrackingNames.JobSpec, TrackingNames.JobNames);
}
