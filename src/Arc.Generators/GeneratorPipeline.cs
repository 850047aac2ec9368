using System;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace Arc.Generators;

/// <summary>A spec the pipeline can emit: everything one generated file needs, equatable, and the file's name.</summary>
internal interface IGeneratedSpec
{
    /// <summary>The generated file's name, unique in the compilation.</summary>
    string HintName { get; }
}

/// <summary>What differs between the <c>[Model]</c>, <c>[Job]</c> and <c>[Pod]</c> pipelines besides parsing and emitting.</summary>
/// <param name="Attribute">The attribute's metadata name, e.g. <c>Arc.Sdk.ModelAttribute</c>.</param>
/// <param name="Word">The kind in messages (ARC0006): <c>model</c>, <c>job</c>, <c>pod</c>.</param>
/// <param name="ParseStep">The tracking name of the parse step (<see cref="TrackingNames"/>).</param>
/// <param name="SpecStep">The tracking name of the valid specs.</param>
/// <param name="NamesStep">The tracking name of the collected name claims.</param>
internal sealed record PipelineKind(string Attribute, string Word, string ParseStep, string SpecStep, string NamesStep)
{
    public static readonly PipelineKind Model = new(KnownTypes.ModelAttribute, "model", TrackingNames.ModelParse, TrackingNames.ModelSpec, TrackingNames.ModelNames);
    public static readonly PipelineKind Job = new(KnownTypes.JobAttribute, "job", TrackingNames.JobParse, TrackingNames.JobSpec, TrackingNames.JobNames);
    public static readonly PipelineKind Pod = new(KnownTypes.PodAttribute, "pod", TrackingNames.PodParse, TrackingNames.PodSpec, TrackingNames.PodNames);
}

/// <summary>
/// The one pipeline of the <c>[Model]</c>, <c>[Job]</c> and <c>[Pod]</c> generators: find each attributed declaration
/// (<c>ForAttributeWithMetadataName</c>), parse it with the semantic model into an equatable
/// <see cref="ParseResult{TSpec}"/>, report its diagnostics, emit one file per valid spec, and check registered names
/// across all of them. Only equatable values leave the parse step, so an edit re-emits only the declarations it changed
/// (tests/Arc.Generators.Tests/IncrementalTests.cs).
/// </summary>
internal static class GeneratorPipeline
{
    /// <param name="context">The generator's context.</param>
    /// <param name="kind">The attribute, the word in messages and the step names.</param>
    /// <param name="predicate">Which syntax nodes carrying the attribute to parse (cheap, syntax only).</param>
    /// <param name="parse">Reads one declaration into a spec or diagnostics.</param>
    /// <param name="emit">Writes the file for one valid spec.</param>
    /// <returns>The valid specs, for generators that write more files per declaration (each in its own emitter: the model's training and inference modules).</returns>
    public static IncrementalValuesProvider<TSpec> Register<TSpec>(
        IncrementalGeneratorInitializationContext context,
        PipelineKind kind,
        Func<SyntaxNode, CancellationToken, bool> predicate,
        Func<GeneratorAttributeSyntaxContext, CancellationToken, ParseResult<TSpec>> parse,
        Func<TSpec, string> emit)
        where TSpec : class, IGeneratedSpec
    {
        var results = context.SyntaxProvider
            .ForAttributeWithMetadataName(kind.Attribute, predicate, parse)
            .WithTrackingName(kind.ParseStep);

        DiagnosticOutput.Register(context, results.Select(static (r, _) => r.Diagnostics));

        var specs = results
            .Where(static r => r.Spec is not null)
            .Select(static (r, _) => r.Spec!)
            .WithTrackingName(kind.SpecStep);
        context.RegisterSourceOutput(specs, (output, spec) => output.AddSource(spec.HintName, emit(spec)));

        var names = results
            .Where(static r => r.Claim is not null)
            .Select(static (r, _) => r.Claim!)
            .Collect()
            .WithTrackingName(kind.NamesStep);
        DiagnosticOutput.Register(context, names.Select((claims, _) => DuplicateNameReporter.Find(claims, kind.Word)));
        return specs;
    }
}
