using System.Text;
using Microsoft.AspNetCore.Http;

namespace Arc.Tracking.Web;

/// <summary>
/// A namespace's experiments as a table: filtered (name or owner, status), sorted by any column (links, so the keyboard
/// and no script suffice), the best value of a chosen metric, pages of <see cref="PageSize"/>, and check boxes to compare.
/// </summary>
internal static class ExperimentsPage
{
    public const int PageSize = 100;
    private static readonly (string Key, string Title)[] Columns =
        [("name", "Name"), ("status", "Status"), ("started", "Started"), ("duration", "Duration"), ("best", "Best"), ("owner", "Owner")];

    public static async Task RenderAsync(PageRequest request)
    {
        string ns = TrackingNames.Namespace(request.Route("ns"), "namespace");
        request.RequireRead(ns);
        string filter = request.Query("q") ?? "", status = request.Query("status") ?? "";
        string metric = string.IsNullOrWhiteSpace(request.Query("metric")) ? "loss" : TrackingNames.Key(request.Query("metric"), "metric", "metric key");
        bool highest = request.Query("best") == "max";
        string sort = Columns.Any(c => c.Key == request.Query("sort")) ? request.Query("sort")! : "started";
        bool descending = request.Query("dir") != "asc";
        int page = int.TryParse(request.Query("page"), out int p) && p > 0 ? p : 1;

        var experiments = await request.Store.ListExperimentsAsync(ns, request.Aborted).ConfigureAwait(false);
        var best = await BestValues.ReadAsync(request.Store, ns, experiments, metric, highest, request.Aborted).ConfigureAwait(false);
        var now = DateTimeOffset.UtcNow;
        var rows = ExperimentRow.Sort(experiments.Select(e => new ExperimentRow(e, best.TryGetValue(e.Id, out double v) ? v : null, now)).Where(r => r.Matches(filter, status)),
            sort, descending).ToArray();
        int pages = Math.Max(1, (rows.Length + PageSize - 1) / PageSize);
        page = Math.Min(page, pages);

        var state = new Dictionary<string, string> { ["q"] = filter, ["status"] = status, ["metric"] = metric, ["best"] = highest ? "max" : "min", ["sort"] = sort, ["dir"] = descending ? "desc" : "asc" };
        var body = new StringBuilder();
        body.Append($"<p><a href=\"/namespaces/{Html.U(ns)}/models\">Models of {Html.E(ns)}</a></p>");
        body.Append("<form method=\"get\" class=\"filters\" role=\"search\" aria-label=\"Filter experiments\">")
            .Append($"<label for=\"q\">Name or owner</label> <input id=\"q\" name=\"q\" value=\"{Html.E(filter)}\"> ")
            .Append("<label for=\"status\">Status</label> <select id=\"status\" name=\"status\"><option value=\"\">any</option>");
        foreach (var s in Enum.GetValues<ExperimentStatus>())
            body.Append($"<option{(s.ToString().Equals(status, StringComparison.OrdinalIgnoreCase) ? " selected" : "")}>{s}</option>");
        body.Append("</select> ")
            .Append($"<label for=\"metric\">Metric</label> <input id=\"metric\" name=\"metric\" value=\"{Html.E(metric)}\"> ")
            .Append($"<label for=\"best\">Best is</label> <select id=\"best\" name=\"best\"><option value=\"min\"{(highest ? "" : " selected")}>lowest</option><option value=\"max\"{(highest ? " selected" : "")}>highest</option></select> ")
            .Append($"<input type=\"hidden\" name=\"sort\" value=\"{sort}\"><input type=\"hidden\" name=\"dir\" value=\"{(descending ? "desc" : "asc")}\">")
            .Append("<button type=\"submit\">Apply</button></form>");

        body.Append("<form method=\"get\" action=\"/compare\">");
        body.Append($"<table id=\"experiments\"><caption>{Html.Count(rows.Length)} experiments of {Html.Count(experiments.Count)} · page {page} of {pages}</caption><thead><tr><th scope=\"col\">Compare</th>");
        foreach (var (key, title) in Columns)
        {
            bool sorted = key == sort;
            var next = new Dictionary<string, string>(state) { ["sort"] = key, ["dir"] = sorted && descending ? "asc" : "desc" };
            string label = key == "best" ? $"Best {metric} ({(highest ? "highest" : "lowest")})" : title;
            body.Append($"<th scope=\"col\"{(sorted ? $" aria-sort=\"{(descending ? "descending" : "ascending")}\"" : "")}><a href=\"{Link(ns, next)}\">{Html.E(label)}{(sorted ? descending ? " ▼" : " ▲" : "")}</a></th>");
        }
        body.Append("</tr></thead><tbody>");
        foreach (var row in rows.Skip((page - 1) * PageSize).Take(PageSize))
        {
            var e = row.Experiment;
            body.Append($"<tr><td><input type=\"checkbox\" name=\"id\" value=\"{Html.E(e.Id)}\" aria-label=\"Compare {Html.E(e.Name)}\"></td>")
                .Append($"<td>{Html.ExperimentLink(e.Id, e.Name)}</td><td class=\"status-{e.Status.ToString().ToLowerInvariant()}\">{e.Status}</td>")
                .Append($"<td>{Html.Time(e.StartedAt)}</td><td>{Html.Duration(row.Duration)}</td><td class=\"best\">{(row.Best is { } b ? Html.Number(b) : "")}</td><td>{Html.E(e.Owner)}</td></tr>");
        }
        body.Append("</tbody></table><button type=\"submit\">Compare selected</button></form>");
        body.Append("<nav aria-label=\"Pages\" class=\"pages\">");
        if (page > 1) body.Append($"<a href=\"{Link(ns, new Dictionary<string, string>(state) { ["page"] = (page - 1).ToString(System.Globalization.CultureInfo.InvariantCulture) })}\" rel=\"prev\">Previous page</a> ");
        if (page < pages) body.Append($"<a href=\"{Link(ns, new Dictionary<string, string>(state) { ["page"] = (page + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) })}\" rel=\"next\">Next page</a>");
        body.Append("</nav>");
        await request.PageAsync($"Experiments of {ns}", body.ToString()).ConfigureAwait(false);
    }

    private static string Link(string ns, Dictionary<string, string> query)
        => Html.E($"/namespaces/{Html.U(ns)}" + QueryString.Create(query.Where(q => q.Value.Length > 0).Select(q => KeyValuePair.Create(q.Key, (string?)q.Value))));
}
