using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Arc.Generators;

/// <summary>
/// Where a diagnostic points, as plain values. A <see cref="Location"/> holds its syntax tree, which would keep old
/// compilations alive in the incremental cache and is never equal across runs, so the pipeline carries the file path
/// and span instead and <see cref="ToLocation"/> finds the tree again in the compilation being reported on.
/// </summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    /// <summary>
    /// An in-source location in <paramref name="compilation"/>'s tree for <see cref="FilePath"/>: only such a location
    /// lets the compiler apply <c>#pragma warning disable</c> and per-file <c>.editorconfig</c> severities (both are
    /// looked up through <see cref="Location.SourceTree"/>). Falls back to an external location (file, line and column
    /// only) if the tree is gone or too short, which cannot happen for a location taken from the same compilation.
    /// </summary>
    public Location ToLocation(Compilation compilation)
    {
        // Several trees may share a path only in hand-made compilations (a build has one tree per file); the first wins.
        var tree = compilation.SyntaxTrees.FirstOrDefault(t => t.FilePath == FilePath);
        if (tree is not null && Span.End <= tree.Length)
            return Location.Create(tree, Span);
        return Location.Create(FilePath, Span, LineSpan);
    }

    public static LocationInfo? From(Location? location)
    {
        if (location is null || location.SourceTree is null)
            return null;
        return new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
    }

    public static LocationInfo? From(SyntaxNode? node) => From(node?.GetLocation());

    public static LocationInfo? From(SyntaxToken token) => From(token.GetLocation());
}
