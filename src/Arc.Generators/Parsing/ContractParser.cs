using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace Arc.Generators;

/// <summary>
/// Reads the contract attributes of a <c>[Model]</c> or <c>[Job]</c> class (<c>[ImageContract]</c>,
/// <c>[TableContract]</c>, <c>[TextContract]</c>, <c>[ClassContract]</c>) into the C# that builds its
/// <c>DataContract</c>, checking each against the class's X and Y (ARC0020). Only strings leave it, so the spec stays
/// equatable.
/// </summary>
internal static class ContractParser
{
    private const string Namespace = "Arc.Sdk.";
    private const string Types = "global::Arc.Types.";
    private static readonly string[] ColumnDTypes = ["float32", "float64", "int32", "int64", "uint8", "bool", "string"];

    /// <summary>The contract's spec, or null when the class states none (or a problem was reported).</summary>
    public static ContractSpec? Parse(INamedTypeSymbol type, ITypeSymbol x, ITypeSymbol y, LocationInfo? fallback,
        List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        string? xExpression = null, yExpression = null;
        int before = diagnostics.Count;
        foreach (var attribute in type.GetAttributes())
        {
            string? name = attribute.AttributeClass?.ToDisplayString();
            if (name is null || !name.StartsWith(Namespace, System.StringComparison.Ordinal) || !name.EndsWith("ContractAttribute", System.StringComparison.Ordinal))
                continue;
            string shortName = "[" + name.Substring(Namespace.Length, name.Length - Namespace.Length - "Attribute".Length) + "]";
            var location = LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken)) ?? fallback;
            void Report(string problem) => diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ContractDoesNotFit, location, shortName, type.ToDisplayString(), problem));

            var named = attribute.NamedArguments.ToDictionary(a => a.Key, a => a.Value);
            string[] accepted = name switch
            {
                "Arc.Sdk.ImageContractAttribute" => ["Arc.Types.ImageData"],
                "Arc.Sdk.TableContractAttribute" => ["Arc.Types.TableData"],
                "Arc.Sdk.TextContractAttribute" => ["Arc.Types.TextData"],
                "Arc.Sdk.ClassContractAttribute" => ["Arc.Types.ClassData", "Arc.Types.LabelData"],
                _ => [],
            };
            if (accepted.Length == 0) continue;

            // The side: as set, else the one whose type the attribute speaks about (X first).
            bool isY;
            if (named.TryGetValue("Side", out var side) && side.Value is int s)
                isY = s == 1;
            else
                isY = !accepted.Contains(x.ToDisplayString()) && accepted.Contains(y.ToDisplayString());
            var sideType = isY ? y : x;
            string sideName = isY ? "Y" : "X";
            if (!accepted.Contains(sideType.ToDisplayString()))
            {
                Report($"speaks about {string.Join(" or ", accepted.Select(a => a.Substring("Arc.Types.".Length)))}, but its {sideName} is {sideType.ToDisplayString()}; put it on a class whose {sideName} has that type, or set Side");
                continue;
            }
            if ((isY ? yExpression : xExpression) is not null)
            {
                Report($"states a second contract for {sideName}; state one per side");
                continue;
            }

            string? expression = name switch
            {
                "Arc.Sdk.ImageContractAttribute" => Image(named, Report),
                "Arc.Sdk.TableContractAttribute" => Table(attribute, Report),
                "Arc.Sdk.TextContractAttribute" => Text(named, Report),
                _ => Names(attribute, sideType.ToDisplayString() == "Arc.Types.LabelData", Report),
            };
            if (isY) yExpression = expression; else xExpression = expression;
        }
        if (diagnostics.Count > before || (xExpression is null && yExpression is null))
            return null;
        return new ContractSpec(xExpression, yExpression);
    }

    private static string? Image(Dictionary<string, TypedConstant> named, System.Action<string> report)
    {
        string Size(string key)
        {
            if (!named.TryGetValue(key, out var value)) return "null";
            if (value.Value is int n && n >= 1) return n.ToString(CultureInfo.InvariantCulture);
            report($"sets {key} = {value.Value}; a fixed size is at least 1 (leave it unset for any)");
            return "null";
        }
        string channels = Size("Channels"), height = Size("Height"), width = Size("Width");
        string dtype = "null";
        if (named.TryGetValue("DType", out var d))
        {
            // ArcDType: Float32 = 0, UInt8 = 4; an image is one or the other.
            dtype = d.Value switch
            {
                (byte)0 => Types + "ArcDType.Float32",
                (byte)4 => Types + "ArcDType.UInt8",
                _ => null!,
            };
            if (dtype is null)
            {
                report("sets a DType an image cannot have; use ArcDType.Float32 or ArcDType.UInt8 (or leave it unset for any)");
                return null;
            }
        }
        return $"new {Types}ImageContract({channels}, {height}, {width}, {dtype})";
    }

    private static string? Table(AttributeData attribute, System.Action<string> report)
    {
        var columns = Strings(attribute);
        if (columns.Count == 0)
        {
            report("lists no columns; list each as \"name:dtype\"");
            return null;
        }
        var parts = new List<string>();
        var names = new HashSet<string>();
        foreach (var column in columns)
        {
            int colon = column?.LastIndexOf(':') ?? -1;
            string? dtype = colon > 0 ? column!.Substring(colon + 1) : null;
            if (dtype is null || !ColumnDTypes.Contains(dtype))
            {
                report($"has the column \"{column}\", which is not \"name:dtype\" with a dtype of {string.Join(", ", ColumnDTypes)}");
                return null;
            }
            string columnName = column!.Substring(0, colon);
            if (!names.Add(columnName))
            {
                report($"lists the column '{columnName}' twice");
                return null;
            }
            parts.Add($"new {Types}TableColumnContract({WireTypeEmitter.Quote(columnName)}, {WireTypeEmitter.Quote(dtype)})");
        }
        return $"new {Types}TableContract(new {Types}TableColumnContract[] {{ {string.Join(", ", parts)} }})";
    }

    private static string? Text(Dictionary<string, TypedConstant> named, System.Action<string> report)
    {
        if (!named.TryGetValue("MaxLength", out var value)) return $"new {Types}TextContract(null)";
        if (value.Value is int n && n >= 1) return $"new {Types}TextContract({n.ToString(CultureInfo.InvariantCulture)})";
        report($"sets MaxLength = {value.Value}; a maximum length is at least 1 (leave it unset for any)");
        return null;
    }

    private static string? Names(AttributeData attribute, bool labels, System.Action<string> report)
    {
        var names = Strings(attribute);
        if (names.Count == 0 || names.Any(n => n is null))
        {
            report("needs at least one name, none of them null");
            return null;
        }
        if (names.Distinct().Count() != names.Count)
        {
            report("lists a name twice");
            return null;
        }
        return $"{Types}NamesContract.{(labels ? "ForLabels" : "ForClasses")}(new string[] {{ {string.Join(", ", names.Select(n => WireTypeEmitter.Quote(n!)))} }})";
    }

    /// <summary>The attribute's <c>params string[]</c> argument.</summary>
    private static List<string?> Strings(AttributeData attribute)
    {
        if (attribute.ConstructorArguments.Length == 0) return new List<string?>();
        var argument = attribute.ConstructorArguments[0];
        return argument.Kind == TypedConstantKind.Array
            ? argument.Values.Select(v => v.Value as string).ToList()
            : new List<string?> { argument.Value as string };
    }
}
