using Arc.Generators.Tests.Infrastructure;

namespace Arc.Generators;

/// <summary>
/// Every list of Arc's diagnostics says the same as the descriptors: each has a description and a help link into
/// docs/diagnostics.md, and the README tables, the generator's README, the doc's table and the release-tracking file
/// name exactly the descriptors' ids and titles.
/// </summary>
public sealed class DiagnosticCatalogTests
{
    private static string Read(params string[] relativePath)
        => File.ReadAllText(Path.Combine([SourcePaths.RepositoryRoot, .. relativePath]));

    [Fact]
    public void EveryDescriptorHasADescriptionAndAHelpLinkToItsSection()
    {
        var anchors = MarkdownDoc.Anchors(Read("docs", "diagnostics.md"));
        foreach (var descriptor in DiagnosticCatalog.All)
        {
            string description = descriptor.Description.ToString();
            Assert.False(string.IsNullOrWhiteSpace(description), $"{descriptor.Id} has no description");
            Assert.NotEqual(descriptor.Title.ToString(), description);
            Assert.NotEqual(descriptor.MessageFormat.ToString(), description);
            Assert.EndsWith(".", description);

            Assert.Equal(DiagnosticDescriptors.HelpLinkBase + descriptor.Id.ToLowerInvariant(), descriptor.HelpLinkUri);
            string[] link = descriptor.HelpLinkUri.Split('#');
            Assert.Equal(2, link.Length);
            Assert.True(File.Exists(Path.Combine(SourcePaths.RepositoryRoot, link[0])), $"{descriptor.HelpLinkUri}: no such file");
            Assert.Contains(link[1], anchors);
        }
    }

    [Fact]
    public void TheRootReadmeListsExactlyTheDescriptors()
        => Assert.Equal(DiagnosticCatalog.IdsAndTitles, MarkdownDoc.DiagnosticRows(Read("README.md")));

    [Fact]
    public void TheGeneratorReadmeListsExactlyTheDescriptors()
        => Assert.Equal(DiagnosticCatalog.IdsAndTitles, MarkdownDoc.DiagnosticRows(Read("src", "Arc.Generators", "README.md")));

    [Fact]
    public void TheDiagnosticsDocListsExactlyTheDescriptorsAndHasASectionForEach()
    {
        string doc = Read("docs", "diagnostics.md");
        Assert.Equal(DiagnosticCatalog.IdsAndTitles, MarkdownDoc.DiagnosticRows(doc));
        // Each section opens with its title in bold, so the page a help link lands on names the diagnostic.
        foreach (var (id, title) in DiagnosticCatalog.IdsAndTitles)
            Assert.Contains($"## {id}\n\n**{title}**\n", doc.Replace("\r\n", "\n"));
    }

    [Fact]
    public void TheReleaseTrackingFilesListExactlyTheDescriptors()
    {
        // Shipped is empty until a release; Unshipped's "New Rules" table carries id | category | severity | title.
        var shipped = Rules(Read("src", "Arc.Generators", "AnalyzerReleases.Shipped.md"));
        var unshipped = Rules(Read("src", "Arc.Generators", "AnalyzerReleases.Unshipped.md"));
        Assert.Empty(shipped);
        var expected = DiagnosticCatalog.All.Select(d => $"{d.Id} | {d.Category} | {d.DefaultSeverity} | {d.Title}").ToList();
        Assert.Equal(expected, unshipped);
    }

    private static List<string> Rules(string releaseFile)
        => releaseFile.Replace("\r\n", "\n").Split('\n').Where(line => line.StartsWith("ARC", StringComparison.Ordinal)).Select(line => line.Trim()).ToList();
}
