using System.Reflection;
using Microsoft.CodeAnalysis;

namespace Arc.Generators.Tests.Infrastructure;

/// <summary>Every descriptor the generators declare, read from <see cref="DiagnosticDescriptors"/> so a new one cannot be missed.</summary>
internal static class DiagnosticCatalog
{
    public static IReadOnlyList<DiagnosticDescriptor> All { get; } = typeof(DiagnosticDescriptors)
        .GetFields(BindingFlags.Static | BindingFlags.Public)
        .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
        .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
        .OrderBy(d => d.Id, StringComparer.Ordinal)
        .ToList();

    /// <summary>(id, title) of every descriptor, ordered by id: what every list of the diagnostics must show.</summary>
    public static IReadOnlyList<(string Id, string Title)> IdsAndTitles { get; } = All.Select(d => (d.Id, d.Title.ToString())).ToList();
}
