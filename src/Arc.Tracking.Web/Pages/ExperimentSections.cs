using System.Text;

namespace Arc.Tracking.Web;

/// <summary>The plain sections of the experiment page: tables of what the store holds.</summary>
internal static class ExperimentSections
{
    public static string Summary(Experiment e)
    {
        var duration = (e.EndedAt ?? DateTimeOffset.UtcNow) - e.StartedAt;
        return "<dl class=\"summary\">"
            + $"<dt>Namespace</dt><dd><a href=\"/namespaces/{Html.U(e.Namespace)}\">{Html.E(e.Namespace)}</a></dd>"
            + $"<dt>Status</dt><dd id=\"status\">{e.Status}</dd><dt>Owner</dt><dd>{Html.E(e.Owner)}</dd><dt>Framework</dt><dd>{Html.E(e.Framework)}</dd>"
            + $"<dt>Started</dt><dd>{Html.Time(e.StartedAt)}</dd><dt>{(e.EndedAt is null ? "Running for" : "Duration")}</dt><dd>{Html.Duration(duration)}</dd>"
            + (e.CodeVersion is { } code ? $"<dt>Code</dt><dd><code>{Html.E(code.Commit)}</code>{(code.Dirty ? " (with uncommitted changes)" : "")}</dd>" : "")
            + $"<dt>Id</dt><dd><code>{Html.E(e.Id)}</code></dd></dl>";
    }

    public static string Hyperparameters(Experiment e) => Table("hyperparameters", "Hyperparameters", ["Name", "Kind", "Value"],
        e.Hyperparameters.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => new[] { h.Key, h.Value.Kind.ToString(), h.Value.ToString() }));

    public static string Environment(Experiment e) => Table("environment", "Environment", ["Name", "Value"],
        e.Environment.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => new[] { h.Key, h.Value }));

    public static string Checkpoints(IReadOnlyList<Checkpoint> checkpoints) => Table("checkpoints", "Checkpoints", ["Step", "Epoch", "Metrics", "Blob", "Created"],
        checkpoints.Select(c => new[]
        {
            c.Step.ToString(System.Globalization.CultureInfo.InvariantCulture), c.Epoch?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
            string.Join(", ", c.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => $"{m.Key} {Html.Number(m.Value)}")),
            c.BlobSha256[..12], Html.Time(c.CreatedAt),
        }));

    public static string Files(PageRequest request, Experiment e, IReadOnlyList<AttachedFile> files)
    {
        var html = new StringBuilder("<section aria-labelledby=\"files-title\"><h2 id=\"files-title\">Files</h2>");
        if (files.Count == 0) html.Append("<p>No file attached.</p>");
        else
        {
            html.Append("<ul class=\"files\">");
            foreach (var file in files)
            {
                string href = $"/experiments/{Html.U(e.Id)}/files/{string.Join('/', file.File.Name.Split('/').Select(Html.U))}";
                html.Append($"<li><a href=\"{href}\">{Html.E(file.File.Name)}</a> ({Html.Count(file.File.Size)} bytes)");
                if (file.File.Name.StartsWith(ExperimentPictures.Folder, StringComparison.Ordinal) && file.File.Name.EndsWith(".png", StringComparison.Ordinal) && request.Blobs is not null)
                    html.Append($"<br><img class=\"picture\" src=\"{href}\" alt=\"{Html.E(ExperimentPictures.Describe(file.File.Name))}\" loading=\"lazy\" width=\"480\">");
                html.Append("</li>");
            }
            html.Append("</ul>");
        }
        if (request.Caller.CanWrite(e.Namespace) && request.Blobs is not null)
            html.Append($"<form method=\"post\" action=\"/experiments/{Html.U(e.Id)}/pictures\" class=\"write\"><button type=\"submit\">Draw PNG pictures of the curves and confusion matrices</button></form>");
        return html.Append("</section>").ToString();
    }

    /// <summary>A captioned table in its own section; an empty one says so instead of drawing an empty grid.</summary>
    public static string Table(string id, string title, string[] headers, IEnumerable<string[]> rows, int level = 2)
    {
        var html = new StringBuilder($"<section aria-labelledby=\"{id}-title\"><h{level} id=\"{id}-title\">{Html.E(title)}</h{level}>");
        var list = rows.ToArray();
        if (list.Length == 0) return html.Append("<p>None.</p></section>").ToString();
        html.Append($"<table id=\"{id}\" aria-labelledby=\"{id}-title\"><thead><tr>");
        foreach (string header in headers) html.Append($"<th scope=\"col\">{Html.E(header)}</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var row in list)
        {
            html.Append("<tr>");
            foreach (string cell in row) html.Append($"<td>{Html.E(cell)}</td>");
            html.Append("</tr>");
        }
        return html.Append("</tbody></table></section>").ToString();
    }
}
