using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Arc.Generators;

/// <summary>
/// The pipeline shared by <see cref="ModelGenerator"/> and <see cref="JobGenerator"/>: parse each attributed class
/// into an equatable result, report its diagnostics, emit one file per valid class, and check names across all of them.
/// </summary>
internal static class TargetClassPipeline
{
    public static void Register(IncrementalGeneratorInitializationContext context, TargetKind kind, string attribute, string parseStep, string specStep, string namesStep)
    {
        var results = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                attribute,
                // Any type declaration, so that [Model] on a record or struct is reported (ARC0002/ARC0003) rather than ignored.
                predicate: static (node, _) => node is TypeDeclarationSyntax,
                transform: (syntax, cancellationToken) => TargetClassParser.Parse(syntax, kind, cancellationToken))
            .WithTrackingName(parseStep);

        DiagnosticOutput.Register(context, results.Select(static (r, _) => r.Diagnostics));

        var specs = results
            .Where(static r => r.Spec is not null)
            .Select(static (r, _) => r.Spec!)
            .WithTrackingName(specStep);
        context.RegisterSourceOutput(specs, static (output, spec) => output.AddSource(spec.HintName, TargetClassEmitter.Emit(spec)));

        string kindWord = kind == TargetKind.Model ? "model" : "job";
        var names = results
            .Where(static r => r.Claim is not null)
            .Select(static (r, _) => r.Claim!)
            .Collect()
            .WithTrackingName(namesStep);
        DiagnosticOutput.Register(context, names.Select((claims, _) => DuplicateNameReporter.Find(claims, kindWord)));
    }
}
