using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Arc.Generators;

/// <summary>
/// Reads one <c>[Pod]</c> method into a <see cref="PodSpec"/>, or into diagnostics: it must be a static method with a
/// body in a partial, non-generic, visible type, and its parameters and result must be serializable.
/// </summary>
internal static class PodParser
{
    private static readonly SymbolDisplayFormat FullyQualified = SymbolDisplayFormat.FullyQualifiedFormat;

    public static ParseResult<PodSpec> Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var method = (IMethodSymbol)context.TargetSymbol;
        var known = new KnownTypes(context.SemanticModel.Compilation);
        var diagnostics = new List<DiagnosticInfo>();
        var type = method.ContainingType;
        string owner = type is null ? method.Name : type.Name + "." + method.Name;
        var methodLocation = LocationInfo.From(method.Locations.FirstOrDefault());

        var attribute = context.Attributes[0];
        var attributeLocation = LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken)) ?? methodLocation;
        string name = DeclarationChecks.ReadName(attribute) ?? owner;
        NameClaim? claim = null;
        if (NameRules.IsValidRegisteredName(name))
            claim = new NameClaim(name, owner, attributeLocation);
        else
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidName, attributeLocation, name, "pod"));

        // A local function, an instance, abstract or extern method has nothing a registration could call.
        bool isLocal = context.TargetNode is LocalFunctionStatementSyntax || method.MethodKind == MethodKind.LocalFunction;
        if (isLocal || !method.IsStatic || method.IsAbstract || method.IsExtern || type is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.PodNotStatic, methodLocation, owner));
            return new ParseResult<PodSpec>(null, claim, diagnostics.ToEquatableArray());
        }

        if (context.TargetNode.FirstAncestorOrSelf<TypeDeclarationSyntax>() is { } declaration)
            DeclarationChecks.CheckContainingTypes(declaration, type, diagnostics);
        if (method.IsGenericMethod)
        {
            // The type parameters would each be reported as unserializable too; one diagnostic says it all.
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GenericDeclaration, methodLocation, owner));
            return new ParseResult<PodSpec>(null, claim, diagnostics.ToEquatableArray());
        }

        int podOverloads = type.GetMembers(method.Name).OfType<IMethodSymbol>()
            .Count(m => m.GetAttributes().Any(a => KnownTypes.Is(a.AttributeClass, known.PodAttributeType)));
        if (podOverloads > 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.PodOverloaded, methodLocation, type.ToDisplayString(), method.Name));
            // Overloads share the default name; ARC0015 already explains, so they do not also claim it (no ARC0006 cascade).
            if (DeclarationChecks.ReadName(attribute) is null)
                claim = null;
        }

        // The remote form and the registration field live in the user's type: their names must be free there, and
        // two pod methods (Scale and ScaleAsync) must not map to one remote form.
        string remoteName = PodNames.Remote(method.Name);
        string registrationMember = PodNames.Registration(method.Name);
        foreach (var (taken, what) in new[] { (remoteName, "remote form"), (registrationMember, "registration field") })
        {
            bool clash = type.GetMembers(taken).Any(m => !m.IsImplicitlyDeclared)
                || type.GetMembers().OfType<IMethodSymbol>().Any(m => m.Name != method.Name // overloads are ARC0015's
                    && m.GetAttributes().Any(a => KnownTypes.Is(a.AttributeClass, known.PodAttributeType))
                    && (what == "remote form" ? PodNames.Remote(m.Name) : PodNames.Registration(m.Name)) == taken);
            if (clash)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.PodGeneratedNameTaken, methodLocation, type.ToDisplayString(), taken, what, owner));
        }

        // One CancellationToken parameter is passed through from the caller instead of being serialized.
        var serialized = new List<IParameterSymbol>();
        var call = new List<string>();
        bool tokenTaken = false;
        foreach (var parameter in method.Parameters)
        {
            if (!tokenTaken && parameter.RefKind == RefKind.None && KnownTypes.Is(parameter.Type, known.CancellationToken))
            {
                tokenTaken = true;
                call.Add("");
                continue;
            }
            serialized.Add(parameter);
            call.Add(NameRules.ToPascalCase(parameter.Name));
        }
        string recordName = method.Name + "Arguments";
        var parameters = ParameterParser.Parse(serialized, owner, recordName, isPod: true, "pod", known, diagnostics);

        var (shape, result) = ParseReturn(method, owner, known, methodLocation, diagnostics);

        cancellationToken.ThrowIfCancellationRequested();
        if (diagnostics.Count > 0)
            return new ParseResult<PodSpec>(null, claim, diagnostics.ToEquatableArray());

        string typeName = type.ToDisplayString(FullyQualified);
        var record = new ParameterRecordSpec(RecordPurpose.PodArguments, recordName, "internal", owner, parameters.ToEquatableArray());
        var spec = new PodSpec(DeclarationChecks.Locate(type), typeName, method.Name, name, record, call.ToEquatableArray(), shape, result,
            AccessibilityText(method.DeclaredAccessibility), remoteName, registrationMember);
        return new ParseResult<PodSpec>(spec, claim, EquatableArray<DiagnosticInfo>.Empty);
    }

    private static string AccessibilityText(Accessibility accessibility) => accessibility switch
    {
        Accessibility.Public => "public",
        Accessibility.Internal => "internal",
        Accessibility.Protected => "protected",
        Accessibility.ProtectedOrInternal => "protected internal",
        Accessibility.ProtectedAndInternal => "private protected",
        _ => "private",
    };

    private static (PodReturnShape Shape, WireType? Result) ParseReturn(
        IMethodSymbol method, string owner, KnownTypes known, LocationInfo? location, List<DiagnosticInfo> diagnostics)
    {
        var returnType = method.ReturnType;
        if (method.ReturnsVoid)
            return (PodReturnShape.Void, null);
        if (KnownTypes.Is(returnType, known.Task) && returnType is INamedTypeSymbol { IsGenericType: false })
            return (PodReturnShape.TaskNoResult, null);
        if (KnownTypes.Is(returnType, known.ValueTask) && returnType is INamedTypeSymbol { IsGenericType: false })
            return (PodReturnShape.ValueTaskNoResult, null);

        var shape = PodReturnShape.Value;
        var resultType = returnType;
        if (returnType is INamedTypeSymbol { IsGenericType: true } generic && (KnownTypes.Is(generic, known.TaskOfT) || KnownTypes.Is(generic, known.ValueTaskOfT)))
        {
            shape = KnownTypes.Is(generic, known.TaskOfT) ? PodReturnShape.Task : PodReturnShape.ValueTask;
            resultType = generic.TypeArguments[0];
        }

        string reason;
        WireType? result = null;
        if (method.RefKind != RefKind.None)
            reason = "ref returns cannot be carried; return by value";
        else
            result = WireTypeParser.Parse(resultType, known, out reason);
        if (result is null)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DataTypeNotSerializable, location, "return", resultType.ToDisplayString(), owner, ParameterParser.PodTypeAdvice(reason)));
        return (shape, result);
    }
}
