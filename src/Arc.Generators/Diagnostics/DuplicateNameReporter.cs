using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Arc.Generators;

/// <summary>
/// ARC0006: registered names must be unique per kind. This needs every claim in the compilation at once, so it runs
/// on a <c>Collect()</c> of the claims; the per-declaration source outputs do not depend on it and stay cached.
/// </summary>
internal static class DuplicateNameReporter
{
    public static void Report(SourceProductionContext context, ImmutableArray<NameClaim> claims, string kind)
    {
        foreach (var group in claims.GroupBy(c => c.Name, System.StringComparer.Ordinal))
        {
            var clashing = group.ToList();
            if (clashing.Count < 2)
                continue;
            foreach (var claim in clashing)
            {
                var other = clashing.First(c => !ReferenceEquals(c, claim));
                var others = clashing.Where(c => !ReferenceEquals(c, claim) && c.Location is not null).Select(c => c.Location!.ToLocation());
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.DuplicateName,
                    claim.Location?.ToLocation() ?? Location.None,
                    additionalLocations: others,
                    kind, claim.Name, claim.Owner, other.Owner));
            }
        }
    }
}
