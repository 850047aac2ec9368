using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Arc.Generators;

/// <summary>
/// For each <c>[Processor]</c> class: a nested <c>Parameters</c> record taken from its public constructor and its
/// MessagePack formatter, a formatter for its fitted state, and <c>TypeName</c>, <c>Create</c> and <c>Load</c>
/// (<see cref="ProcessorEmitter"/>), through the same pipeline as models (<see cref="GeneratorPipeline"/>).
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ProcessorGenerator : IIncrementalGenerator
{
    internal const string ParseStep = "Arc.Processor.Parse";
    internal const string SpecStep = "Arc.Processor.Spec";
    internal const string NamesStep = "Arc.Processor.Names";

    private static readonly PipelineKind Kind = new(KnownTypes.ProcessorAttribute, "processor", ParseStep, SpecStep, NamesStep);

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
        => GeneratorPipeline.Register(context, Kind,
            // Any type declaration, so that [Processor] on a record or struct is reported (ARC0040) rather than ignored.
            static (node, _) => node is TypeDeclarationSyntax,
            ProcessorParser.Parse,
            ProcessorEmitter.Emit);
}
