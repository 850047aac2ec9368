using System.Text;

namespace Arc.Tracking.Web;

/// <summary>A registered model and its versions: metrics, labels, lineage (experiment, job, dataset, parent) and the OCI reference.</summary>
internal static class ModelPage
{
    public static async Task RenderAsync(PageRequest request)
    {
        var model = await request.Store.GetModelAsync(request.Route("id"), request.Aborted).ConfigureAwait(false);
        request.RequireRead(model.Namespace);
        var versions = await request.Store.ListModelVersionsAsync(model.Id, request.Aborted).ConfigureAwait(false);
        bool canWrite = request.Caller.CanWrite(model.Namespace);
        var body = new StringBuilder("<dl class=\"summary\">")
            .Append($"<dt>Namespace</dt><dd><a href=\"/namespaces/{Html.U(model.Namespace)}/models\">{Html.E(model.Namespace)}</a></dd>")
            .Append($"<dt>Task</dt><dd>{Html.E(model.Task)}</dd><dt>Owner</dt><dd>{Html.E(model.Owner)}</dd><dt>Description</dt><dd>{Html.E(model.Description)}</dd>")
            .Append($"<dt>Created</dt><dd>{Html.Time(model.CreatedAt)}</dd></dl>");
        body.Append("<section aria-labelledby=\"model-labels\"><h2 id=\"model-labels\">Labels</h2>")
            .Append(LabelEditor.Render($"/models/{Html.U(model.Id)}/labels", model.Name, model.Labels, canWrite)).Append("</section>");
        body.Append("<h2>Versions</h2>");
        if (versions.Count == 0) body.Append("<p>No version yet.</p>");
        foreach (var v in versions.Reverse())
            body.Append(Version(model, v, canWrite, await ExperimentNameAsync(request, v.Lineage.ExperimentId).ConfigureAwait(false)));
        await request.PageAsync($"Model {model.Name}", body.ToString()).ConfigureAwait(false);
    }

    /// <summary>A version by id (the lineage's parent links): its place on its model's page.</summary>
    public static async Task VersionAsync(PageRequest request)
    {
        var version = await request.Store.GetModelVersionAsync(request.Route("id"), request.Aborted).ConfigureAwait(false);
        request.RequireRead(version.Namespace);
        request.SeeOther($"/models/{Html.U(version.ModelId)}#v{version.Version}");
    }

    /// <summary>The lineage experiment's name for its link (its id when it is in a namespace the caller cannot read).</summary>
    private static async Task<string?> ExperimentNameAsync(PageRequest request, string? experimentId)
    {
        if (experimentId is null) return null;
        var experiment = await request.Store.GetExperimentAsync(experimentId, request.Aborted).ConfigureAwait(false);
        return request.Caller.CanRead(experiment.Namespace) ? experiment.Name : experimentId;
    }

    private static string Version(RegisteredModel model, ModelVersion v, bool canWrite, string? experimentName)
    {
        var html = new StringBuilder($"<section id=\"v{v.Version}\" class=\"version\" aria-labelledby=\"v{v.Version}-title\"><h3 id=\"v{v.Version}-title\">Version {v.Version}</h3><dl class=\"summary\">");
        html.Append($"<dt>Created</dt><dd>{Html.Time(v.CreatedAt)}</dd>");
        if (v.ArtifactReference is { } reference)
        {
            string id = $"ref-{v.Version}";
            html.Append($"<dt><label for=\"{id}\">OCI reference</label></dt><dd><input id=\"{id}\" class=\"reference\" readonly size=\"60\" value=\"{Html.E(reference)}\"> ")
                .Append($"<button type=\"button\" data-copy=\"{id}\" aria-label=\"Copy the OCI reference of version {v.Version}\">Copy</button></dd>");
        }
        var lineage = v.Lineage;
        if (lineage.ExperimentId is { } experiment) html.Append($"<dt>Experiment</dt><dd>{Html.ExperimentLink(experiment, experimentName ?? experiment)}</dd>");
        if (lineage.Job is { } job) html.Append($"<dt>Job</dt><dd>{Html.E(job)}</dd>");
        if (lineage.Dataset is { } dataset)
            html.Append($"<dt>Dataset</dt><dd>{Html.E(dataset.Name)} {Html.E(dataset.Version)}{(dataset.Hash is { } hash ? $" <code>{Html.E(hash)}</code>" : "")}</dd>");
        if (lineage.ParentVersionId is { } parent) html.Append($"<dt>Parent</dt><dd><a href=\"/versions/{Html.U(parent)}\">{Html.E(parent)}</a></dd>");
        html.Append("<dt>Metrics</dt><dd>")
            .Append(v.Metrics.Count == 0 ? "none" : Html.E(string.Join(", ", v.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => $"{m.Key} {Html.Number(m.Value)}"))))
            .Append("</dd></dl><h4>Labels</h4>")
            .Append(LabelEditor.Render($"/versions/{Html.U(v.Id)}/labels", $"{model.Name} version {v.Version}", v.Labels, canWrite));
        return html.Append("</section>").ToString();
    }
}
