namespace Arc.Generators;

/// <summary>A registered name and who claims it, for the compilation-wide duplicate check.</summary>
/// <param name="Name">The registered name.</param>
/// <param name="Owner">The class (or <c>Type.Method</c>) that claims it, for the message.</param>
/// <param name="Location">Where to report a clash.</param>
internal sealed record NameClaim(string Name, string Owner, LocationInfo? Location);

/// <summary>What parsing one attributed declaration produced: the spec when it is valid, its name claim, and its diagnostics.</summary>
internal sealed record ParseResult<TSpec>(TSpec? Spec, NameClaim? Claim, EquatableArray<DiagnosticInfo> Diagnostics)
    where TSpec : class;
