
namespace Arc.Generators;

/// <summary>Spells a <see cref="WireType"/> as C#: the codec that carries it, and the type for <c>typeof</c>.</summary>
internal static class WireTypeEmitter
{
    private const string Codecs = "global::Arc.Sdk.WireCodecs.";

    /// <summary>An expression of type <c>WireCodec&lt;T&gt;</c> for the type.</summary>
    public static string Codec(WireType type) => type.Kind switch
    {
        WireKind.Enum => Codecs + "Enum<" + type.TypeName + ">()",
        WireKind.Data => Codecs + "Data<" + type.TypeName + ">()",
        WireKind.Array => Codecs + "ArrayOf(" + Codec(type.Element!) + ")",
        WireKind.ReadOnlyList => Codecs + "ReadOnlyListOf(" + Codec(type.Element!) + ")",
        WireKind.Nullable => Codecs + "Nullable(" + Codec(type.Element!) + ")",
        WireKind.OrNull => Codecs + "OrNull(" + Codec(type.Element!) + ")",
        _ => Codecs + type.Kind,
    };

    /// <summary>The type without nullable reference annotations, which <c>typeof</c> does not accept.</summary>
    public static string RuntimeTypeName(WireType type) => type.Kind switch
    {
        WireKind.OrNull => RuntimeTypeName(type.Element!),
        WireKind.Nullable => RuntimeTypeName(type.Element!) + "?",
        WireKind.Array => RuntimeTypeName(type.Element!) + "[]",
        WireKind.ReadOnlyList => "global::System.Collections.Generic.IReadOnlyList<" + RuntimeTypeName(type.Element!) + ">",
        _ => type.TypeName,
    };

    /// <summary>The codec type, <c>global::Arc.Sdk.WireCodec&lt;T&gt;</c>.</summary>
    public static string CodecType(string typeName) => "global::Arc.Sdk.WireCodec<" + typeName + ">";

    /// <summary>A string literal (names here never need escapes beyond what this handles).</summary>
    public static string Quote(string text) => Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(text, quote: true);

    /// <summary>XML text: escapes the characters that would break a doc comment.</summary>
    public static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
