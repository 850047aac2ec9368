using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Arc.Generators;

/// <summary>A <c>[Model]</c> or <c>[Job]</c> read for the command line: its spec, or null when the class is invalid (the Model/Job generators report why).</summary>
internal sealed record CommandLineParse(CommandLineTargetSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>
/// Reads a <c>[Model]</c>/<c>[Job]</c> class for the generated command line: the parameters <see cref="TargetClassParser"/>
/// accepts, their XML doc text, and ARC0017 for a type no option can carry (an Arc data type, a nested list).
/// </summary>
internal static class CommandLineParser
{
    /// <summary>The runtime type whose presence turns the command line on (the program references Arc.CommandLine).</summary>
    public const string RuntimeCatalogType = "Arc.CommandLine.CommandLineCatalog";

    public static CommandLineParse Parse(GeneratorAttributeSyntaxContext context, TargetKind kind, CancellationToken cancellationToken)
    {
        if (context.SemanticModel.Compilation.GetTypeByMetadataName(RuntimeCatalogType) is null)
            return new CommandLineParse(null, EquatableArray<DiagnosticInfo>.Empty);
        var target = TargetClassParser.Parse(context, kind, cancellationToken).Spec;
        if (target is null)
            return new CommandLineParse(null, EquatableArray<DiagnosticInfo>.Empty);

        var type = (INamedTypeSymbol)context.TargetSymbol;
        var constructor = type.InstanceConstructors.Single(c => c.DeclaredAccessibility == Accessibility.Public);
        var docs = ParameterDocs(constructor, cancellationToken);
        var diagnostics = new List<DiagnosticInfo>();
        var parameters = new List<CommandLineParameterSpec>();
        foreach (var p in target.Record.Parameters)
        {
            if (!IsBindable(p.Type, out string reason))
            {
                var symbol = constructor.Parameters.First(s => s.Name == p.Name);
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ParameterNotBindable, LocationInfo.From(symbol.Locations.FirstOrDefault()),
                    p.Name, target.Location.TypeName, symbol.Type.ToDisplayString(), reason));
                continue;
            }
            docs.TryGetValue(p.Name, out string? help);
            parameters.Add(new CommandLineParameterSpec(p.Name, p.PropertyName, OptionTypeName(p.Type), p.DefaultLiteral ?? "default!", help ?? ""));
        }
        var spec = new CommandLineTargetSpec(kind, target.FullTypeName, target.RegisteredName, target.Record.RecordName, parameters.ToEquatableArray());
        return new CommandLineParse(spec, diagnostics.ToEquatableArray());
    }

    /// <summary>
    /// The option's C# type: the parameter's, except that a read-only list is read as an array (System.CommandLine
    /// binds arrays; the array converts to the list when the record is built).
    /// </summary>
    private static string OptionTypeName(WireType type) => type.Kind switch
    {
        WireKind.ReadOnlyList => OptionTypeName(type.Element!) + "[]",
        WireKind.OrNull when type.Element!.Kind == WireKind.ReadOnlyList => OptionTypeName(type.Element) + "?",
        _ => type.TypeName,
    };

    /// <summary>Scalars, enums, strings, their nullable forms, and arrays or read-only lists of those.</summary>
    private static bool IsBindable(WireType type, out string reason)
    {
        reason = "";
        switch (type.Kind)
        {
            case WireKind.Data:
                reason = "an Arc data type has no text form on a command line";
                return false;
            case WireKind.Array or WireKind.ReadOnlyList or WireKind.Nullable or WireKind.OrNull:
                var element = type.Element!;
                bool collection = type.Kind is WireKind.Array or WireKind.ReadOnlyList;
                if (collection && element.Kind is WireKind.Array or WireKind.ReadOnlyList)
                {
                    reason = "a list of lists cannot be written as repeated option values";
                    return false;
                }
                return IsBindable(element, out reason);
            default:
                return true;
        }
    }

    /// <summary>The <c>&lt;param&gt;</c> texts of the constructor's XML documentation, read from the syntax so that it works whatever the documentation mode.</summary>
    private static Dictionary<string, string> ParameterDocs(IMethodSymbol constructor, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, string>();
        string xml = constructor.GetDocumentationCommentXml(expandIncludes: false, cancellationToken: cancellationToken) ?? "";
        if (xml.Length == 0)
            xml = "<doc>" + RawDocComment(constructor, cancellationToken) + "</doc>";
        XElement root;
        try
        {
            root = XElement.Parse(xml);
        }
        catch (System.Xml.XmlException)
        {
            return result; // a malformed doc comment only costs the help text; the compiler reports it elsewhere
        }
        foreach (var param in root.Descendants("param"))
        {
            string? name = (string?)param.Attribute("name");
            if (name is not null)
                result[name] = PlainText(param);
        }
        return result;
    }

    private static string RawDocComment(IMethodSymbol constructor, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        foreach (var reference in constructor.DeclaringSyntaxReferences)
            foreach (var trivia in reference.GetSyntax(cancellationToken).GetLeadingTrivia())
                if (trivia.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia) || trivia.IsKind(SyntaxKind.SingleLineCommentTrivia))
                    foreach (var line in trivia.ToFullString().Split('\n'))
                    {
                        string trimmed = line.Trim();
                        if (trimmed.StartsWith("///", System.StringComparison.Ordinal))
                            text.Append(trimmed.Substring(3)).Append('\n');
                    }
        return text.ToString();
    }

    /// <summary>The element's text with <c>&lt;see cref/&gt;</c> and <c>&lt;paramref/&gt;</c> as names and whitespace collapsed.</summary>
    private static string PlainText(XElement element)
    {
        var text = new StringBuilder();
        foreach (var node in element.Nodes())
        {
            if (node is XText t)
                text.Append(t.Value);
            else if (node is XElement e)
            {
                string? reference = (string?)e.Attribute("cref") ?? (string?)e.Attribute("name") ?? (string?)e.Attribute("langword");
                if (e.IsEmpty && reference is not null)
                {
                    // "T:Ns.Type.Member" or "Type.Member" → "Type.Member"'s last part.
                    string name = reference.Contains(':') ? reference.Substring(reference.IndexOf(':') + 1) : reference;
                    int paren = name.IndexOf('(');
                    if (paren >= 0) name = name.Substring(0, paren);
                    text.Append(name.Substring(name.LastIndexOf('.') + 1));
                }
                else
                    text.Append(PlainText(e));
            }
        }
        return Regex.Replace(text.ToString(), @"\s+", " ").Trim();
    }
}
