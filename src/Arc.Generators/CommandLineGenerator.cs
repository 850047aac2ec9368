using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Arc.Generators;

/// <summary>
/// For a program that references Arc.CommandLine and has <c>[Model]</c> or <c>[Job]</c> classes: one
/// <c>ArcCommandLine</c> class holding the catalog of those classes, each constructor parameter an option with its
/// type, default and doc text, and <c>RunAsync(args)</c>, which hands the catalog to the hand-written runtime
/// (<c>Arc.CommandLine.ArcCommandLineApp</c>). Reports ARC0017 for a parameter no option can carry.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class CommandLineGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var models = Targets(context, KnownTypes.ModelAttribute, TargetKind.Model, TrackingNames.CommandLineModels);
        var jobs = Targets(context, KnownTypes.JobAttribute, TargetKind.Job, TrackingNames.CommandLineJobs);

        var all = models.Collect().Combine(jobs.Collect()).WithTrackingName(TrackingNames.CommandLineCatalog);
        context.RegisterSourceOutput(all, static (output, pair) =>
        {
            var specs = pair.Left.Concat(pair.Right).Where(r => r.Spec is not null).Select(r => r.Spec!).ToList();
            if (specs.Count > 0)
                output.AddSource(CommandLineEmitter.HintName, CommandLineEmitter.Emit(specs));
        });
        DiagnosticOutput.Register(context, models.Select(static (r, _) => r.Diagnostics));
        DiagnosticOutput.Register(context, jobs.Select(static (r, _) => r.Diagnostics));
    }

    private static IncrementalValuesProvider<CommandLineParse> Targets(IncrementalGeneratorInitializationContext context, string attribute, TargetKind kind, string step)
        => context.SyntaxProvider
            .ForAttributeWithMetadataName(attribute, static (node, _) => node is ClassDeclarationSyntax,
                (syntax, cancellationToken) => CommandLineParser.Parse(syntax, kind, cancellationToken))
            .WithTrackingName(step);
}
