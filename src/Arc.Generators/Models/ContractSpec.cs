namespace Arc.Generators;

/// <summary>
/// A class's contract as the C# expressions that build each side's <c>ValueContract</c> (null for a side it states
/// nothing about); strings, so the spec stays equatable.
/// </summary>
/// <param name="X">Builds X's contract, or null.</param>
/// <param name="Y">Builds Y's contract, or null.</param>
internal sealed record ContractSpec(string? X, string? Y)
{
    /// <summary>The expression of the whole <c>DataContract</c>.</summary>
    public string Expression => $"new global::Arc.Types.DataContract({X ?? "null"}, {Y ?? "null"})";
}
