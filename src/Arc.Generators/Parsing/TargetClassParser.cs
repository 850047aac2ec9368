using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Arc.Generators;

/// <summary>
/// Reads one <c>[Model]</c> or <c>[Job]</c> class into a <see cref="TargetClassSpec"/>, or into diagnostics when
/// Arc cannot generate code for it. Runs in the incremental transform; only equatable values leave it.
/// </summary>
internal static class TargetClassParser
{
    private static readonly SymbolDisplayFormat FullyQualified = SymbolDisplayFormat.FullyQualifiedFormat;

    public static ParseResult<TargetClassSpec> Parse(GeneratorAttributeSyntaxContext context, TargetKind kind, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var syntax = (TypeDeclarationSyntax)context.TargetNode;
        var known = new KnownTypes(context.SemanticModel.Compilation);
        var diagnostics = new List<DiagnosticInfo>();
        string attributeName = kind == TargetKind.Model ? "[Model]" : "[Job]";
        string kindWord = kind == TargetKind.Model ? "model" : "job";
        string owner = type.ToDisplayString();
        var classLocation = LocationInfo.From(syntax.Identifier);

        var attribute = context.Attributes[0];
        var attributeLocation = LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken)) ?? classLocation;
        string name = DeclarationChecks.ReadName(attribute) ?? type.Name.ToLowerInvariant();
        NameClaim? claim = null;
        if (NameRules.IsValidRegisteredName(name))
            claim = new NameClaim(name, owner, attributeLocation);
        else
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidName, attributeLocation, name, kindWord));

        DeclarationChecks.CheckContainingTypes(syntax, type, diagnostics);
        if (type.IsAbstract)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.AbstractClass, classLocation, owner, attributeName));

        var supervisedDefinition = kind == TargetKind.Model ? known.SupervisedModel : known.SupervisedJob;
        var supervised = FindBase(type, supervisedDefinition);
        ContractSpec? contract = null;
        if (supervised is null)
        {
            var descriptor = kind == TargetKind.Model ? DiagnosticDescriptors.ModelWithoutSupervisedBase : DiagnosticDescriptors.JobWithoutSupervisedBase;
            diagnostics.Add(DiagnosticInfo.Create(descriptor, classLocation, owner));
        }
        else
        {
            CheckDataType(supervised.TypeArguments[0], "input", owner, known, classLocation, diagnostics);
            CheckDataType(supervised.TypeArguments[1], kind == TargetKind.Model ? "output" : "target", owner, known, classLocation, diagnostics);
            contract = ContractParser.Parse(type, supervised.TypeArguments[0], supervised.TypeArguments[1], attributeLocation, diagnostics, cancellationToken);
        }

        string recordName = kind == TargetKind.Model ? "Hyperparameters" : "Parameters";
        var constructors = type.InstanceConstructors.Where(c => c.DeclaredAccessibility == Accessibility.Public).ToArray();
        List<ParameterSpec> parameters = new();
        if (type.IsAbstract || supervised is null)
        {
            // Already reported: a class that is abstract or not a model/job at all is never constructed by Arc,
            // so its constructors do not matter (and reporting on them would only add noise).
        }
        else if (constructors.Length != 1)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoSingleConstructor, classLocation, owner, constructors.Length.ToString()));
        else
            parameters = ParameterParser.Parse(constructors[0].Parameters, owner, recordName, isPod: false, kindWord, known, diagnostics);

        cancellationToken.ThrowIfCancellationRequested();
        if (diagnostics.Count > 0 || supervised is null)
            return new ParseResult<TargetClassSpec>(null, claim, diagnostics.ToEquatableArray());

        string fullTypeName = type.ToDisplayString(FullyQualified);
        var record = new ParameterRecordSpec(
            kind == TargetKind.Model ? RecordPurpose.Hyperparameters : RecordPurpose.Parameters,
            recordName,
            "public",
            owner,
            parameters.ToEquatableArray());
        var spec = new TargetClassSpec(
            kind,
            DeclarationChecks.Locate(type),
            fullTypeName,
            name,
            supervised.TypeArguments[0].ToDisplayString(FullyQualified),
            supervised.TypeArguments[1].ToDisplayString(FullyQualified),
            record,
            OverridesName: CanOverrideName(type, supervised),
            HidesInheritedMembers: HasGeneratedBase(type, supervised, known, recordName),
            HidesInheritedClient: HasBaseWithClient(type, supervised, known),
            HidesInheritedEntryPoints: BaseHasEntryPointsWithSameParameters(type, supervised, known, constructors[0]))
        {
            Contract = contract,
            OverridesContract = contract is not null && CanOverrideContract(type, supervised),
        };
        return new ParseResult<TargetClassSpec>(spec, claim, EquatableArray<DiagnosticInfo>.Empty);
    }

    private static INamedTypeSymbol? FindBase(INamedTypeSymbol type, INamedTypeSymbol? definition)
    {
        for (var t = type.BaseType; t is not null; t = t.BaseType)
            if (KnownTypes.Is(t, definition))
                return t;
        return null;
    }

    private static void CheckDataType(ITypeSymbol type, string role, string owner, KnownTypes known, LocationInfo? location, List<DiagnosticInfo> diagnostics)
    {
        if (!known.IsArcData(type))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DataTypeNotSerializable, location, role, type.ToDisplayString(), owner,
                $"implement Arc.Types.IArcData<{type.Name}> on it, or use one of Arc's data types"));
    }

    /// <summary>
    /// The registered name should be what <c>Name</c> returns, so the generator overrides it, unless the user's class
    /// (or a class between it and the Arc base) declares its own or the base made it non-overridable.
    /// </summary>
    private static bool CanOverrideName(INamedTypeSymbol type, INamedTypeSymbol supervised)
    {
        for (var t = type; t is not null && !SymbolEqualityComparer.Default.Equals(t, supervised); t = t.BaseType)
            if (!t.GetMembers("Name").IsEmpty)
                return false;
        return supervised.GetMembers("Name").OfType<IPropertySymbol>().Any(p => (p.IsVirtual || p.IsAbstract || p.IsOverride) && !p.IsSealed);
    }

    /// <summary>
    /// The instance's <c>Contract</c> should be the registration's, so the generator overrides it, unless the user's
    /// class (or a class between it and the Arc base) declares its own member of that name.
    /// </summary>
    private static bool CanOverrideContract(INamedTypeSymbol type, INamedTypeSymbol supervised)
    {
        for (var t = type; t is not null && !SymbolEqualityComparer.Default.Equals(t, supervised); t = t.BaseType)
        {
            // A base class with contract attributes got its override from us; only a hand-written member stops ours.
            bool generatedThere = t.GetAttributes().Any(IsContractAttribute);
            if (t.GetMembers("Contract").Any(m => !(generatedThere && m is IPropertySymbol { IsOverride: true })))
                return false;
        }
        return supervised.GetMembers("Contract").OfType<IPropertySymbol>().Any(p => (p.IsVirtual || p.IsOverride) && !p.IsSealed);
    }

    private static bool IsContractAttribute(AttributeData attribute)
        => attribute.AttributeClass is { } c && c.ContainingNamespace?.ToDisplayString() == "Arc.Sdk" && c.Name.EndsWith("ContractAttribute", System.StringComparison.Ordinal);

    /// <summary>Whether a base class also gets generated members (it is [Model]/[Job] too), so ours must say <c>new</c>.</summary>
    private static bool HasGeneratedBase(INamedTypeSymbol type, INamedTypeSymbol supervised, KnownTypes known, string recordName)
    {
        for (var t = type.BaseType; t is not null && !SymbolEqualityComparer.Default.Equals(t, supervised); t = t.BaseType)
        {
            bool attributed = t.GetAttributes().Any(a => KnownTypes.Is(a.AttributeClass, known.ModelAttributeType) || KnownTypes.Is(a.AttributeClass, known.JobAttributeType));
            if (attributed || !t.GetMembers(recordName).IsEmpty || !t.GetMembers("Create").IsEmpty)
                return true;
        }
        return false;
    }

    private static bool IsArcAttributed(INamedTypeSymbol type, KnownTypes known)
        => type.GetAttributes().Any(a => KnownTypes.Is(a.AttributeClass, known.ModelAttributeType) || KnownTypes.Is(a.AttributeClass, known.JobAttributeType));

    /// <summary>Whether a base class gets (or declares) <c>Client</c> and <c>Registration</c>, so ours must say <c>new</c>.</summary>
    private static bool HasBaseWithClient(INamedTypeSymbol type, INamedTypeSymbol supervised, KnownTypes known)
    {
        for (var t = type.BaseType; t is not null && !SymbolEqualityComparer.Default.Equals(t, supervised); t = t.BaseType)
            if (IsArcAttributed(t, known) || !t.GetMembers("Client").IsEmpty || !t.GetMembers("Registration").IsEmpty)
                return true;
        return false;
    }

    /// <summary>
    /// Whether a [Model]/[Job] base gets a <c>DeployAsync</c> (and a model's <c>DevelopAsync</c>) with the same parameter
    /// list as ours (its public constructor takes the same types), so ours hide them and must say <c>new</c>; with other
    /// parameters they are overloads.
    /// </summary>
    private static bool BaseHasEntryPointsWithSameParameters(INamedTypeSymbol type, INamedTypeSymbol supervised, KnownTypes known, IMethodSymbol constructor)
    {
        for (var t = type.BaseType; t is not null && !SymbolEqualityComparer.Default.Equals(t, supervised); t = t.BaseType)
        {
            if (!IsArcAttributed(t, known)) continue;
            var baseConstructors = t.InstanceConstructors.Where(c => c.DeclaredAccessibility == Accessibility.Public).ToArray();
            if (baseConstructors.Length == 1
                && baseConstructors[0].Parameters.Length == constructor.Parameters.Length
                && baseConstructors[0].Parameters.Zip(constructor.Parameters, (a, b) => SymbolEqualityComparer.Default.Equals(a.Type, b.Type)).All(same => same))
                return true;
        }
        return false;
    }
}
