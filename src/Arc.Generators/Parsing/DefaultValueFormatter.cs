using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Arc.Generators;

/// <summary>Writes a parameter's default value as C# source that means exactly the same value.</summary>
internal static class DefaultValueFormatter
{
    /// <summary>The default of <paramref name="parameter"/> as C#, or null when it has none.</summary>
    public static string? Format(IParameterSymbol parameter)
    {
        if (!parameter.HasExplicitDefaultValue)
            return null;

        var type = parameter.Type;
        bool isNullableValue = type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T };
        var underlying = isNullableValue ? ((INamedTypeSymbol)type).TypeArguments[0] : type;
        object? value = parameter.ExplicitDefaultValue;

        if (value is null)
            return type.IsValueType && !isNullableValue ? "default" : "null";

        if (underlying is INamedTypeSymbol { TypeKind: TypeKind.Enum } enumType)
            return FormatEnum(enumType, value);

        return value switch
        {
            bool b => b ? "true" : "false",
            string s => SymbolDisplay.FormatLiteral(s, quote: true),
            char c => SymbolDisplay.FormatLiteral(c, quote: true),
            double d => FormatDouble(d),
            float f => FormatSingle(f),
            decimal m => m.ToString(CultureInfo.InvariantCulture) + "M",
            _ => System.Convert.ToString(value, CultureInfo.InvariantCulture) ?? "default",
        };
    }

    private static string FormatEnum(INamedTypeSymbol enumType, object value)
    {
        string typeName = enumType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        var members = enumType.GetMembers().OfType<IFieldSymbol>().Where(f => f.HasConstantValue).ToList();
        var exact = members.FirstOrDefault(f => Equals(f.ConstantValue, value));
        if (exact is not null)
            return typeName + "." + exact.Name;

        // A [Flags] combination reads best as the members it combines, when they cover it exactly.
        bool isFlags = enumType.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "System.FlagsAttribute");
        if (isFlags)
        {
            ulong remaining = Bits(value);
            var parts = new List<string>();
            foreach (var member in members.Where(m => Bits(m.ConstantValue!) != 0).OrderByDescending(m => Bits(m.ConstantValue!)))
            {
                ulong bits = Bits(member.ConstantValue!);
                if ((remaining & bits) == bits)
                {
                    parts.Insert(0, typeName + "." + member.Name);
                    remaining &= ~bits;
                }
            }
            if (remaining == 0 && parts.Count > 0)
                return string.Join(" | ", parts);
        }
        return "(" + typeName + ")(" + System.Convert.ToString(value, CultureInfo.InvariantCulture) + ")";
    }

    private static ulong Bits(object value) => value is ulong u ? u : unchecked((ulong)System.Convert.ToInt64(value, CultureInfo.InvariantCulture));

    private static string FormatDouble(double d)
    {
        if (double.IsNaN(d)) return "double.NaN";
        if (double.IsPositiveInfinity(d)) return "double.PositiveInfinity";
        if (double.IsNegativeInfinity(d)) return "double.NegativeInfinity";
        // "R" round-trips; an integral value ("3") still converts to double, but -0.0 needs its point to stay negative.
        string text = d.ToString("R", CultureInfo.InvariantCulture);
        return d == 0 && System.BitConverter.DoubleToInt64Bits(d) < 0 ? "-0.0" : text;
    }

    private static string FormatSingle(float f)
    {
        if (float.IsNaN(f)) return "float.NaN";
        if (float.IsPositiveInfinity(f)) return "float.PositiveInfinity";
        if (float.IsNegativeInfinity(f)) return "float.NegativeInfinity";
        return f.ToString("R", CultureInfo.InvariantCulture) + "F";
    }
}
