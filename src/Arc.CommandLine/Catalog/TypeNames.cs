using System.Globalization;

namespace Arc.CommandLine;

/// <summary>How types and values read in help: <c>int</c>, <c>double</c>, <c>string</c>, <c>Color</c>, <c>int[]</c>.</summary>
internal static class TypeNames
{
    public static string Describe(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } inner) return Describe(inner) + "?";
        if (type.IsArray) return Describe(type.GetElementType()!) + "[]";
        return Type.GetTypeCode(type) switch
        {
            TypeCode.Boolean => "bool",
            TypeCode.SByte => "sbyte",
            TypeCode.Byte => "byte",
            TypeCode.Int16 => "short",
            TypeCode.UInt16 => "ushort",
            TypeCode.Int32 => "int",
            TypeCode.UInt32 => "uint",
            TypeCode.Int64 => "long",
            TypeCode.UInt64 => "ulong",
            TypeCode.Single => "float",
            TypeCode.Double => "double",
            TypeCode.Decimal => "decimal",
            TypeCode.String => "string",
            _ => type.Name,
        };
    }

    public static string Value(object? value) => value switch
    {
        null => "none",
        bool b => b ? "true" : "false",
        string s => s.Length == 0 ? "\"\"" : s,
        Array a => a.Length == 0 ? "empty" : string.Join(" ", a.Cast<object?>().Select(Value)),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>For an enum (or nullable enum): "one of: A, B, C".</summary>
    public static string? Choices(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? (type.IsArray ? type.GetElementType()! : type);
        return underlying.IsEnum ? "one of: " + string.Join(", ", Enum.GetNames(underlying)) : null;
    }
}
