using System.Text;

namespace Arc.Tracking.Web;

/// <summary>A namespace's registered models.</summary>
internal static class ModelsPage
{
    public static async Task RenderAsync(PageRequest request)
    {
        string ns = TrackingNames.Namespace(request.Route("ns"), "namespace");
        request.RequireRead(ns);
        var models = await request.Store.ListModelsAsync(ns, request.Aborted).ConfigureAwait(false);
        var body = new StringBuilder($"<p><a href=\"/namespaces/{Html.U(ns)}\">Experiments of {Html.E(ns)}</a></p>");
        body.Append(models.Count == 0 ? "<p>No model registered.</p>" : $"<table id=\"models\"><caption>{models.Count} models</caption><thead><tr><th scope=\"col\">Model</th><th scope=\"col\">Task</th><th scope=\"col\">Owner</th><th scope=\"col\">Labels</th><th scope=\"col\">Created</th></tr></thead><tbody>");
        foreach (var m in models)
            body.Append($"<tr><td>{Html.ModelLink(m.Id, m.Name)}</td><td>{Html.E(m.Task)}</td><td>{Html.E(m.Owner)}</td>")
                .Append($"<td>{Html.E(string.Join(", ", m.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")))}</td><td>{Html.Time(m.CreatedAt)}</td></tr>");
        if (models.Count > 0) body.Append("</tbody></table>");
        await request.PageAsync($"Models of {ns}", body.ToString()).ConfigureAwait(false);
    }
}
