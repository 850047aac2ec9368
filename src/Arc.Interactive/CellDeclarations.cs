using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Arc.Interactive;

/// <summary>
/// What a C# cell declares, read from its syntax: whether it declares Arc units (a type or method marked <c>[Model]</c>,
/// <c>[Job]</c> or <c>[Pod]</c>), the names of its top-level types, and the statements it holds besides declarations.
/// </summary>
/// <param name="DeclaresArcUnits">Whether an attribute named Model, Job or Pod appears.</param>
/// <param name="TypeNames">The top-level types' names.</param>
/// <param name="Usings">The cell's using directives, as written: later cells get them too, as after any cell.</param>
/// <param name="Statements">Statements besides the declarations (a cell compiled as a library may hold none).</param>
internal sealed record CellDeclarations(bool DeclaresArcUnits, IReadOnlyList<string> TypeNames, IReadOnlyList<string> Usings,
    IReadOnlyList<MemberDeclarationSyntax> Statements)
{
    private static readonly HashSet<string> ArcAttributes = new(StringComparer.Ordinal)
    {
        "Model", "ModelAttribute", "Job", "JobAttribute", "Pod", "PodAttribute",
    };

    /// <summary>Reads <paramref name="code"/> as a script (a cell may hold statements).</summary>
    public static CellDeclarations Read(string code)
    {
        var root = CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(kind: SourceCodeKind.Script)).GetCompilationUnitRoot();
        bool arc = root.DescendantNodes().OfType<AttributeSyntax>().Any(a => ArcAttributes.Contains(LastName(a.Name)));
        var types = root.Members.OfType<BaseTypeDeclarationSyntax>().Select(t => t.Identifier.ValueText)
            .Concat(root.Members.OfType<DelegateDeclarationSyntax>().Select(d => d.Identifier.ValueText))
            .Distinct(StringComparer.Ordinal).ToList();
        return new CellDeclarations(arc, types, root.Usings.Select(u => u.ToString()).ToList(),
            // A script parses `var x = 1;` as a field and a top-level function as a method: all are statements here.
            root.Members.Where(m => m is not (BaseTypeDeclarationSyntax or DelegateDeclarationSyntax or BaseNamespaceDeclarationSyntax)).ToList());
    }

    private static string LastName(NameSyntax name) => name switch
    {
        QualifiedNameSyntax q => q.Right.Identifier.ValueText,
        AliasQualifiedNameSyntax a => a.Name.Identifier.ValueText,
        SimpleNameSyntax s => s.Identifier.ValueText,
        _ => name.ToString(),
    };
}
