using System.Text;

namespace Arc.Tracking.Web;

/// <summary>The first page: the namespaces the caller's token reads, each with its experiments and models.</summary>
internal static class NamespacesPage
{
    public static async Task RenderAsync(PageRequest request)
    {
        var spaces = (await request.Store.ListNamespacesAsync(request.Aborted).ConfigureAwait(false)).Where(n => request.Caller.CanRead(n.Name)).ToArray();
        var body = new StringBuilder();
        if (spaces.Length == 0) body.Append("<p>No namespace yet (or none your token opens). Training with tracking creates one.</p>");
        else
        {
            body.Append("<table><caption>Namespaces</caption><thead><tr><th scope=\"col\">Namespace</th><th scope=\"col\">Created</th><th scope=\"col\">Models</th><th scope=\"col\">Access</th></tr></thead><tbody>");
            foreach (var space in spaces)
                body.Append($"<tr><td><a href=\"/namespaces/{Html.U(space.Name)}\">{Html.E(space.Name)}</a></td><td>{Html.Time(space.CreatedAt)}</td>")
                    .Append($"<td><a href=\"/namespaces/{Html.U(space.Name)}/models\" aria-label=\"Models of {Html.E(space.Name)}\">models</a></td>")
                    .Append($"<td>{(request.Caller.CanWrite(space.Name) ? "read, write" : "read")}</td></tr>");
            body.Append("</tbody></table>");
        }
        await request.PageAsync("Namespaces", body.ToString()).ConfigureAwait(false);
    }
}
