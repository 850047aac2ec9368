using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace Arc.Interactive;

/// <summary>
/// The C# kernel's middleware that hands cells declaring Arc units to the <see cref="CellCompiler"/>: such a cell becomes
/// an assembly, and the kernel then runs, in its place, a submission that references the assembly and aliases its
/// types (so later cells use them by their own names, and a cell run again replaces them). Other cells pass through.
/// </summary>
internal static class CellMiddleware
{
    public static KernelCommandPipelineMiddleware Create(CellCompiler compiler) => async (command, context, next) =>
    {
        var declarations = command is SubmitCode code ? CellDeclarations.Read(code.Code) : null;
        if (command is not SubmitCode submit || declarations is not { DeclaresArcUnits: true })
        {
            await next(command, context).ConfigureAwait(false);
            return;
        }
        if (declarations.Statements.Count > 0)
        {
            var first = declarations.Statements[0].GetLocation().GetLineSpan();
            context.Fail(command, message:
                $"({first.StartLinePosition.Line + 1},{first.StartLinePosition.Character + 1}): a cell that declares [Model], [Job] or [Pod] " +
                "holds only using directives and type declarations (it is compiled as a library, with Arc's generator); move the statements to another cell");
            return;
        }

        var (cell, diagnostics) = compiler.Compile(submit.Code, declarations);
        if (diagnostics.Count > 0)
            context.Publish(new DiagnosticsProduced(
                diagnostics.Select(ToKernel).ToList(),
                [new FormattedValue(PlainTextFormatter.MimeType, string.Join(Environment.NewLine, diagnostics))],
                command));
        if (cell is null)
        {
            context.Fail(command, message: string.Join(Environment.NewLine, diagnostics.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error)));
            return;
        }
        string reference = $"#r \"{cell.Path}\"\n{string.Join("\n", declarations.Usings)}\n{compiler.Aliases()}";
        await next(new SubmitCode(reference, submit.TargetKernelName), context).ConfigureAwait(false);
    };

    private static Diagnostic ToKernel(CellDiagnostic d) => new(
        new Microsoft.DotNet.Interactive.LinePositionSpan(
            new Microsoft.DotNet.Interactive.LinePosition(d.Line, d.Column), new Microsoft.DotNet.Interactive.LinePosition(d.EndLine, d.EndColumn)),
        d.Severity, d.Id, d.Message);
}
