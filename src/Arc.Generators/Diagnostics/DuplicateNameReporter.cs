using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace Arc.Generators;

/// <summary>
/// ARC0006: registered names must be unique per kind. This needs every claim in the compilation at once, so it runs
/// on a <c>Collect()</c> of the claims; the per-declaration source outputs do not depend on it and stay cached.
/// </summary>
internal static class DuplicateNameReporter
{
    /// <summary>One ARC0006 per claim that shares its name with another, pointing at the others as additional locations.</summary>
    public static EquatableArray<DiagnosticInfo> Find(ImmutableArray<NameClaim> claims, string kind)
    {
        var found = new List<DiagnosticInfo>();
        foreach (var group in claims.GroupBy(c => c.Name, System.StringComparer.Ordinal))
        {
            var clashing = group.ToList();
            if (clashing.Count < 2)
                continue;
            foreach (var claim in clashing)
            {
                var other = clashing.First(c => !ReferenceEquals(c, claim));
                IEnumerable<LocationInfo> others = clashing.Where(c => !ReferenceEquals(c, claim) && c.Location is not null).Select(c => c.Location!);
                found.Add(new DiagnosticInfo(
                    DiagnosticDescriptors.DuplicateName,
                    claim.Location,
                    others.ToEquatableArray(),
                    new[] { kind, claim.Name, claim.Owner, other.Owner }.ToEquatableArray()));
            }
        }
        return found.ToEquatableArray();
    }
}
