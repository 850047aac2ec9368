using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Arc.Generators;

/// <summary>
/// For each <c>[Pod]</c> method: checks the signature (static; serializable parameters and result), writes an
/// argument record and its formatter, and registers a <c>PodRegistration</c> that invokes the method from wire bytes
/// (<see cref="GeneratorPipeline"/>).
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class PodGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
        => GeneratorPipeline.Register(context, PipelineKind.Pod,
            // Local functions are included so that a [Pod] on one is reported rather than silently ignored.
            static (node, _) => node is MethodDeclarationSyntax or LocalFunctionStatementSyntax,
            PodParser.Parse,
            PodEmitter.Emit);
}
