using System.Linq;

namespace Arc.Generators;

/// <summary>One type around a generated member (the user's class and the classes containing it), outermost first.</summary>
/// <param name="Keyword">The declaration keyword: <c>class</c>, <c>struct</c>, <c>record</c>, <c>record struct</c> or <c>interface</c>.</param>
/// <param name="Name">The type's name.</param>
internal sealed record ContainingTypeSpec(string Keyword, string Name);

/// <summary>Where generated code goes: the namespace (null for the global one) and the types, outermost first.</summary>
internal sealed record TypeLocationSpec(string? Namespace, EquatableArray<ContainingTypeSpec> Types)
{
    /// <summary>The innermost type's name.</summary>
    public string TypeName => Types[Types.Count - 1].Name;

    /// <summary>e.g. <c>Samples.Outer.ConvClassifier</c>: unique per type, so a hint-name prefix.</summary>
    public string HintPrefix => (Namespace is null ? "" : Namespace + ".") + string.Join(".", Types.Select(t => t.Name));
}
