using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Arc.Generators;

/// <summary>
/// Where a diagnostic points, as plain values: <see cref="Location"/> holds a syntax tree, which would keep whole
/// compilations alive in the incremental cache and is never equal across runs.
/// </summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

    public static LocationInfo? From(Location? location)
    {
        if (location is null || location.SourceTree is null)
            return null;
        return new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
    }

    public static LocationInfo? From(SyntaxNode? node) => From(node?.GetLocation());

    public static LocationInfo? From(SyntaxToken token) => From(token.GetLocation());
}
