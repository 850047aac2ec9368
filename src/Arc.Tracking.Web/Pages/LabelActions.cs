using Microsoft.AspNetCore.Http;

namespace Arc.Tracking.Web;

/// <summary>The label forms' posts: set or remove one label, for a token that writes the namespace, then back to the model.</summary>
internal static class LabelActions
{
    public static async Task ModelAsync(PageRequest request)
    {
        var model = await request.Store.GetModelAsync(request.Route("id"), request.Aborted).ConfigureAwait(false);
        request.RequireWrite(model.Namespace);
        await ApplyAsync(request, LabelTarget.Model(model.Id)).ConfigureAwait(false);
        request.SeeOther($"/models/{Html.U(model.Id)}");
    }

    public static async Task VersionAsync(PageRequest request)
    {
        var version = await request.Store.GetModelVersionAsync(request.Route("id"), request.Aborted).ConfigureAwait(false);
        request.RequireWrite(version.Namespace);
        await ApplyAsync(request, LabelTarget.ModelVersion(version.Id)).ConfigureAwait(false);
        request.SeeOther($"/models/{Html.U(version.ModelId)}#v{version.Version}");
    }

    private static async Task ApplyAsync(PageRequest request, LabelTarget target)
    {
        if (!request.Context.Request.HasFormContentType) throw new ArgumentException("a label change is posted from the label form");
        var form = await request.Context.Request.ReadFormAsync(request.Aborted).ConfigureAwait(false);
        string key = Labels.Key(form["key"].ToString(), "key");
        if (form["remove"] == "1") await request.Store.RemoveLabelAsync(target, key, request.Aborted).ConfigureAwait(false);
        else await request.Store.SetLabelAsync(target, key, Labels.Value(form["value"].ToString(), "value"), request.Aborted).ConfigureAwait(false);
    }
}
