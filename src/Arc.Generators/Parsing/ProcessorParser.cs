using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Arc.Generators;

/// <summary>
/// Reads one <c>[Processor]</c> class into a <see cref="ProcessorSpec"/>, or into diagnostics: the checks every Arc
/// class gets (partial, visible, not generic or abstract, one public constructor, serializable parameters with
/// defaults), plus what keeping a processor as data needs (ARC0040, ARC0041).
/// </summary>
internal static class ProcessorParser
{
    private static readonly SymbolDisplayFormat FullyQualified = SymbolDisplayFormat.FullyQualifiedFormat;

    public static ParseResult<ProcessorSpec> Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var syntax = (TypeDeclarationSyntax)context.TargetNode;
        var known = new KnownTypes(context.SemanticModel.Compilation);
        var diagnostics = new List<DiagnosticInfo>();
        string owner = type.ToDisplayString();
        var classLocation = LocationInfo.From(syntax.Identifier);

        var attribute = context.Attributes[0];
        var attributeLocation = LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken)) ?? classLocation;
        string name = DeclarationChecks.ReadName(attribute) ?? type.Name.ToLowerInvariant();
        NameClaim? claim = null;
        if (NameRules.IsValidRegisteredName(name))
            claim = new NameClaim(name, owner, attributeLocation);
        else
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidName, attributeLocation, name, "processor"));

        DeclarationChecks.CheckContainingTypes(syntax, type, diagnostics);
        if (type.IsAbstract)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.AbstractClass, classLocation, owner, "[Processor]"));

        INamedTypeSymbol? processorBase = null;
        for (var t = type.BaseType; t is not null && processorBase is null; t = t.BaseType)
            if (KnownTypes.Is(t, known.DatasetProcessor))
                processorBase = t;
        if (processorBase is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ProcessorWithoutBase, classLocation, owner));
            return new ParseResult<ProcessorSpec>(null, claim, diagnostics.ToEquatableArray());
        }

        List<ParameterSpec> parameters = new();
        var constructors = type.InstanceConstructors.Where(c => c.DeclaredAccessibility == Accessibility.Public).ToArray();
        if (type.IsAbstract)
        {
            // Already reported: Arc never constructs an abstract class.
        }
        else if (constructors.Length != 1)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoSingleConstructor, classLocation, owner, constructors.Length.ToString()));
        else
        {
            parameters = ParameterParser.Parse(constructors[0].Parameters, owner, "Parameters", isPod: false, "processor", known, diagnostics);
            foreach (var parameter in constructors[0].Parameters)
                if (ReadBack(type, parameter) is string problem)
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ProcessorDataNotCarried, LocationInfo.From(parameter.Locations.FirstOrDefault()) ?? classLocation,
                        $"Parameter '{parameter.Name}'", owner, problem));
        }

        var stateType = processorBase.TypeArguments[4];
        var state = ParseState(stateType, owner, known, classLocation, diagnostics);

        cancellationToken.ThrowIfCancellationRequested();
        if (diagnostics.Count > 0 || state is null)
            return new ParseResult<ProcessorSpec>(null, claim, diagnostics.ToEquatableArray());

        var spec = new ProcessorSpec(
            DeclarationChecks.Locate(type),
            type.ToDisplayString(FullyQualified),
            name,
            processorBase.TypeArguments[2].ToDisplayString(FullyQualified),
            processorBase.TypeArguments[3].ToDisplayString(FullyQualified),
            stateType.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(FullyQualified),
            new ParameterRecordSpec(RecordPurpose.Parameters, "Parameters", "public", owner, parameters.ToEquatableArray()),
            new ParameterRecordSpec(RecordPurpose.ProcessorState, "State", "public", owner, state.ToEquatableArray()));
        return new ParseResult<ProcessorSpec>(spec, claim, EquatableArray<DiagnosticInfo>.Empty);
    }

    /// <summary>The state type's constructor parameters, or null after reporting ARC0041.</summary>
    private static List<ParameterSpec>? ParseState(ITypeSymbol stateType, string owner, KnownTypes known, LocationInfo? classLocation, List<DiagnosticInfo> diagnostics)
    {
        string what = $"The fitted state '{stateType.ToDisplayString()}'";
        if (stateType is not INamedTypeSymbol named || named.TypeKind != TypeKind.Class || named.IsAbstract)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ProcessorDataNotCarried, classLocation, what, owner,
                "it must be a non-abstract class with one public constructor, such as a positional record"));
            return null;
        }
        var constructors = named.InstanceConstructors.Where(c => c.DeclaredAccessibility == Accessibility.Public && !IsCopyConstructor(c, named)).ToArray();
        if (constructors.Length != 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ProcessorDataNotCarried, classLocation, what, owner,
                $"it has {constructors.Length} public constructors; give it exactly one, whose parameters are the state (a positional record has one)"));
            return null;
        }
        var specs = new List<ParameterSpec>();
        bool ok = true;
        foreach (var parameter in constructors[0].Parameters)
        {
            var location = LocationInfo.From(parameter.Locations.FirstOrDefault()) ?? classLocation;
            string itsWhat = $"Member '{parameter.Name}' of the fitted state '{named.ToDisplayString()}'";
            string reason = "ref, out and in parameters cannot be carried; pass by value";
            var wire = parameter.RefKind == RefKind.None ? WireTypeParser.Parse(parameter.Type, known, out reason) : null;
            if (wire is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ProcessorDataNotCarried, location, itsWhat, owner,
                    $"its type '{parameter.Type.ToDisplayString()}' is not a wire type ({reason}); use numbers, strings, enums, Arc data types, or arrays and lists of those"));
                ok = false;
                continue;
            }
            if (ReadBack(named, parameter) is string problem)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ProcessorDataNotCarried, location, itsWhat, owner, problem));
                ok = false;
                continue;
            }
            specs.Add(new ParameterSpec(parameter.Name, NameRules.ToPascalCase(parameter.Name), wire, DefaultValueFormatter.Format(parameter)));
        }
        return ok ? specs : null;
    }

    /// <summary>Why the value of <paramref name="parameter"/> cannot be read back from an instance of <paramref name="type"/>, or null.</summary>
    private static string? ReadBack(INamedTypeSymbol type, IParameterSymbol parameter)
    {
        string property = NameRules.ToPascalCase(parameter.Name);
        for (var t = type; t is not null; t = t.BaseType)
            foreach (var member in t.GetMembers(property))
            {
                var memberType = member switch
                {
                    IPropertySymbol { GetMethod: not null, IsStatic: false } p when p.GetMethod.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal || SymbolEqualityComparer.Default.Equals(t, type) => p.Type,
                    _ => null,
                };
                if (memberType is null) continue;
                return SymbolEqualityComparer.Default.Equals(memberType.WithNullableAnnotation(NullableAnnotation.None), parameter.Type.WithNullableAnnotation(NullableAnnotation.None))
                    ? null
                    : $"its property '{property}' is a '{memberType.ToDisplayString()}', not a '{parameter.Type.ToDisplayString()}'; give it the parameter's type";
            }
        return $"there is no property '{property}' to read its value back from; add 'public {parameter.Type.ToDisplayString()} {property} {{ get; }} = {parameter.Name};'";
    }

    private static bool IsCopyConstructor(IMethodSymbol constructor, INamedTypeSymbol type)
        => type.IsRecord && constructor.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(constructor.Parameters[0].Type, type);
}
