using Arc.Sdk;
using Arc.Types;
using Microsoft.DotNet.Interactive.Formatting;

namespace Arc.Interactive;

/// <summary>How Arc's values show in a notebook: pictures for images, tables for classes, labels and reports.</summary>
internal static class ArcFormatters
{
    private static int _registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        Formatter.Register<ImageGrid>((grid, writer) => writer.Write(Convert.ToBase64String(grid.Png)), "image/png");
        Formatter.Register<ImageGrid>((grid, writer) => writer.Write(HtmlViews.Grid(grid)), HtmlFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(ImageGrid), "image/png");
        Html<ImageData>(HtmlViews.Images);
        Html<ClassData>(HtmlViews.Classes);
        Html<LabelData>(HtmlViews.Labels);
        Html<EvalReport>(HtmlViews.Report);
        Html<ClassificationMetrics>(HtmlViews.Classification);
    }

    private static void Html<T>(Func<T, string> html)
    {
        Formatter.Register<T>((value, writer) => writer.Write(html(value)), HtmlFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(T), HtmlFormatter.MimeType);
    }
}
