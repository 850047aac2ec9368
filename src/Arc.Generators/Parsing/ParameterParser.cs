using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Arc.Generators;

/// <summary>Turns constructor or method parameters into the properties of a generated record, reporting what cannot be carried.</summary>
internal static class ParameterParser
{
    /// <summary>Members every record has; a property with one of these names would not compile.</summary>
    private static readonly HashSet<string> RecordMembers = new()
    {
        "EqualityContract", "Equals", "GetHashCode", "ToString", "PrintMembers", "Deconstruct", "GetType", "MemberwiseClone", "Finalize", "ReferenceEquals",
    };

    /// <summary>Parses <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The parameters to carry, in order.</param>
    /// <param name="owner">The constructor's class or the method, for messages.</param>
    /// <param name="recordName">The generated record's name (a property may not share it).</param>
    /// <param name="isPod">Pod arguments report ARC0005 (data type) and may be required; hyperparameters report ARC0004 and ARC0009.</param>
    /// <param name="kindWord">"model" or "job", for ARC0009.</param>
    /// <param name="known">Known types.</param>
    /// <param name="diagnostics">Where problems go.</param>
    public static List<ParameterSpec> Parse(
        IEnumerable<IParameterSymbol> parameters, string owner, string recordName, bool isPod, string kindWord,
        KnownTypes known, List<DiagnosticInfo> diagnostics)
    {
        var specs = new List<ParameterSpec>();
        var properties = new HashSet<string>();
        foreach (var parameter in parameters)
        {
            var location = LocationInfo.From(parameter.Locations.FirstOrDefault());
            string typeName = parameter.Type.ToDisplayString();

            WireType? wire = null;
            string reason;
            if (parameter.RefKind != RefKind.None)
                reason = "ref, out and in parameters cannot be carried; pass by value";
            else
                wire = WireTypeParser.Parse(parameter.Type, known, out reason);

            if (wire is null)
            {
                diagnostics.Add(isPod
                    ? DiagnosticInfo.Create(DiagnosticDescriptors.DataTypeNotSerializable, location, $"parameter '{parameter.Name}'", typeName, owner, PodTypeAdvice(reason))
                    : DiagnosticInfo.Create(DiagnosticDescriptors.HyperparameterNotSerializable, location, parameter.Name, owner, typeName, reason));
            }

            string? defaultLiteral = DefaultValueFormatter.Format(parameter);
            if (!isPod && defaultLiteral is null)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.HyperparameterWithoutDefault, location, parameter.Name, owner, kindWord));

            string property = NameRules.ToPascalCase(parameter.Name);
            string? clash = property == recordName ? $"is the name of the record '{recordName}' itself"
                : RecordMembers.Contains(property) ? "is a member every record already has"
                : properties.Contains(property) ? "another parameter also becomes"
                : null;
            if (clash is not null)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ParameterNameConflict, location, parameter.Name, owner, property, clash));
            properties.Add(property);

            if (wire is not null)
                specs.Add(new ParameterSpec(parameter.Name, property, wire, defaultLiteral));
        }
        return specs;
    }

    /// <summary>ARC0005's advice for pods: why the type failed, and what would work.</summary>
    public static string PodTypeAdvice(string reason)
        => reason + "; use an Arc data type (IArcData<T>), bool, an integer type, float, double, decimal, string, an enum, or an array, IReadOnlyList<T> or nullable of those";
}
