using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Arc.Generators;

/// <summary>
/// Checks shared by every kind: the types that receive generated code must be partial (all the way out), non-generic,
/// and reachable from a module initializer; and the helpers that describe where that code goes.
/// </summary>
internal static class DeclarationChecks
{
    /// <summary>Reports ARC0001, ARC0010 and ARC0012 for <paramref name="innermost"/> and every type containing it.</summary>
    public static void CheckContainingTypes(TypeDeclarationSyntax innermost, INamedTypeSymbol innermostSymbol, List<DiagnosticInfo> diagnostics)
    {
        for (SyntaxNode? node = innermost; node is not null; node = node.Parent)
        {
            if (node is not TypeDeclarationSyntax declaration)
                continue;
            if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TypeNotPartial, LocationInfo.From(declaration.Identifier), declaration.Identifier.ValueText));
        }

        for (INamedTypeSymbol? type = innermostSymbol; type is not null; type = type.ContainingType)
        {
            var location = LocationInfo.From(type.Locations.Length > 0 ? type.Locations[0] : null);
            if (type.IsGenericType)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GenericDeclaration, location, type.ToDisplayString()));
            string? hidden = type.IsFileLocal ? "file-local" : type.DeclaredAccessibility switch
            {
                Accessibility.Private => "private",
                Accessibility.Protected => "protected",
                Accessibility.ProtectedAndInternal => "private protected",
                _ => null,
            };
            if (hidden is not null)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TypeNotAccessible, location, type.ToDisplayString(), hidden));
        }
    }

    /// <summary>The namespace and the chain of types that generated code must re-open.</summary>
    public static TypeLocationSpec Locate(INamedTypeSymbol type)
    {
        var types = new List<ContainingTypeSpec>();
        for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
            types.Insert(0, new ContainingTypeSpec(Keyword(t), t.Name));
        string? ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : null;
        return new TypeLocationSpec(ns, types.ToEquatableArray());
    }

    /// <summary>The value of the attribute's <c>Name</c> property, when set.</summary>
    public static string? ReadName(AttributeData attribute)
    {
        foreach (var argument in attribute.NamedArguments)
            if (argument.Key == "Name" && argument.Value.Value is string name)
                return name;
        return null;
    }

    private static string Keyword(INamedTypeSymbol type) => type switch
    {
        { IsRecord: true, TypeKind: TypeKind.Struct } => "record struct",
        { IsRecord: true } => "record",
        { TypeKind: TypeKind.Struct } => "struct",
        { TypeKind: TypeKind.Interface } => "interface",
        _ => "class",
    };
}
