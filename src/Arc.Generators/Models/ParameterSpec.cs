namespace Arc.Generators;

/// <summary>One constructor or method parameter carried in a generated record.</summary>
/// <param name="Name">The parameter's name as declared (without <c>@</c>); the key on the wire.</param>
/// <param name="PropertyName">The record property: <see cref="Name"/> in PascalCase.</param>
/// <param name="Type">How the value travels.</param>
/// <param name="DefaultLiteral">The default as C# source, or null when the parameter is required.</param>
internal sealed record ParameterSpec(string Name, string PropertyName, WireType Type, string? DefaultLiteral)
{
    /// <summary>The local variable the formatter reads into; the prefix keeps it apart from the formatter's own names.</summary>
    public string LocalName => "arg_" + Name;
}
