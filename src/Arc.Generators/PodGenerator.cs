using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Arc.Generators;

/// <summary>
/// For each <c>[Pod]</c> method: checks the signature (static; serializable parameters and result), writes an
/// argument record and its formatter, and registers a <c>PodRegistration</c> that invokes the method from wire bytes.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class PodGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var results = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownTypes.PodAttribute,
                // Local functions are included so that a [Pod] on one is reported rather than silently ignored.
                predicate: static (node, _) => node is MethodDeclarationSyntax or LocalFunctionStatementSyntax,
                transform: static (syntax, cancellationToken) => PodParser.Parse(syntax, cancellationToken))
            .WithTrackingName(TrackingNames.PodParse);

        DiagnosticOutput.Register(context, results.Select(static (r, _) => r.Diagnostics));

        var specs = results
            .Where(static r => r.Spec is not null)
            .Select(static (r, _) => r.Spec!)
            .WithTrackingName(TrackingNames.PodSpec);
        context.RegisterSourceOutput(specs, static (output, spec) => output.AddSource(spec.HintName, PodEmitter.Emit(spec)));

        var names = results
            .Where(static r => r.Claim is not null)
            .Select(static (r, _) => r.Claim!)
            .Collect()
            .WithTrackingName(TrackingNames.PodNames);
        DiagnosticOutput.Register(context, names.Select(static (claims, _) => DuplicateNameReporter.Find(claims, "pod")));
    }
}
