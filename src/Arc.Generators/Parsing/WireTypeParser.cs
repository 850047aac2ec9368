using Microsoft.CodeAnalysis;

namespace Arc.Generators;

/// <summary>
/// Decides whether a type can travel on the wire and how: the types <c>Arc.Sdk.WireCodecs</c> has a
/// codec for, composed through arrays, <c>IReadOnlyList&lt;T&gt;</c> and nullables. Everything else is refused with
/// a reason, so the diagnostic can say why.
/// </summary>
internal static class WireTypeParser
{
    private static readonly SymbolDisplayFormat FullyQualified = SymbolDisplayFormat.FullyQualifiedFormat;

    public static WireType? Parse(ITypeSymbol type, KnownTypes known, out string reason)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            var inner = ParseNonNull(nullable.TypeArguments[0], known, out reason);
            return inner is null ? null : new WireType(WireKind.Nullable, inner.TypeName + "?", inner);
        }

        // Oblivious reference types (nullable context off) may hold null, so they are read as nullable too.
        if (type.IsReferenceType && type.NullableAnnotation != NullableAnnotation.NotAnnotated)
        {
            var inner = ParseNonNull(type.WithNullableAnnotation(NullableAnnotation.NotAnnotated), known, out reason);
            return inner is null ? null : new WireType(WireKind.OrNull, inner.TypeName + "?", inner);
        }

        return ParseNonNull(type, known, out reason);
    }

    private static WireType? ParseNonNull(ITypeSymbol type, KnownTypes known, out string reason)
    {
        reason = "";
        switch (type.SpecialType)
        {
            case SpecialType.System_Boolean: return Scalar(WireKind.Boolean, "bool");
            case SpecialType.System_SByte: return Scalar(WireKind.SByte, "sbyte");
            case SpecialType.System_Byte: return Scalar(WireKind.Byte, "byte");
            case SpecialType.System_Int16: return Scalar(WireKind.Int16, "short");
            case SpecialType.System_UInt16: return Scalar(WireKind.UInt16, "ushort");
            case SpecialType.System_Int32: return Scalar(WireKind.Int32, "int");
            case SpecialType.System_UInt32: return Scalar(WireKind.UInt32, "uint");
            case SpecialType.System_Int64: return Scalar(WireKind.Int64, "long");
            case SpecialType.System_UInt64: return Scalar(WireKind.UInt64, "ulong");
            case SpecialType.System_Single: return Scalar(WireKind.Single, "float");
            case SpecialType.System_Double: return Scalar(WireKind.Double, "double");
            case SpecialType.System_Decimal: return Scalar(WireKind.Decimal, "decimal");
            case SpecialType.System_String: return Scalar(WireKind.String, "string");
            case SpecialType.System_Char:
                reason = "char is not supported; use string";
                return null;
            case SpecialType.System_Object:
                reason = "object can hold any type, and Arc never deserializes untyped values";
                return null;
        }

        if (type.TypeKind == TypeKind.Enum)
            return Scalar(WireKind.Enum, type.ToDisplayString(FullyQualified));

        if (known.IsArcData(type))
            return Scalar(WireKind.Data, type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(FullyQualified));

        if (type is IArrayTypeSymbol array)
        {
            if (array.Rank != 1)
            {
                reason = "multi-dimensional arrays are not supported; use a jagged array";
                return null;
            }
            var element = Parse(array.ElementType, known, out reason);
            return element is null ? null : new WireType(WireKind.Array, element.TypeName + "[]", element);
        }

        if (type is INamedTypeSymbol named && KnownTypes.Is(named, known.ReadOnlyList))
        {
            var element = Parse(named.TypeArguments[0], known, out reason);
            return element is null
                ? null
                : new WireType(WireKind.ReadOnlyList, "global::System.Collections.Generic.IReadOnlyList<" + element.TypeName + ">", element);
        }

        reason = type switch
        {
            ITypeParameterSymbol => "a type parameter has no fixed wire form",
            { TypeKind: TypeKind.Dynamic } => "dynamic can hold any type, and Arc never deserializes untyped values",
            { TypeKind: TypeKind.Interface } => "an interface has no fixed wire form",
            { TypeKind: TypeKind.Pointer or TypeKind.FunctionPointer } => "pointers cannot leave the process",
            { TypeKind: TypeKind.Delegate } => "delegates cannot leave the process",
            _ when known.ArcData is null => "Arc.Types is not referenced",
            _ => "it is not a supported scalar, and not an Arc data type implementing Arc.Types.IArcData<T>",
        };
        return null;
    }

    private static WireType Scalar(WireKind kind, string typeName) => new(kind, typeName, null);
}
