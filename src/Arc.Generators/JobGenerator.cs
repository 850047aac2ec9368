using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Arc.Generators;

/// <summary>
/// For each <c>[Job]</c> class: a nested <c>Parameters</c> record taken from its public constructor, its MessagePack
/// formatter, a <c>Create</c> factory, the typed <c>Registration</c>, <c>DeployAsync</c> and <c>Client</c>, and a module
/// initializer registering it (<see cref="GeneratorPipeline"/>).
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class JobGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
        => GeneratorPipeline.Register(context, PipelineKind.Job,
            // Any type declaration, so that [Job] on a record or struct is reported rather than ignored.
            static (node, _) => node is TypeDeclarationSyntax,
            static (syntax, cancellationToken) => TargetClassParser.Parse(syntax, TargetKind.Job, cancellationToken),
            TargetClassEmitter.Emit);
}
