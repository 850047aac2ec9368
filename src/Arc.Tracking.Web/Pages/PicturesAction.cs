
namespace Arc.Tracking.Web;

/// <summary>The experiment page's "draw pictures" button: draws the missing PNGs, attaches them, back to the page's files.</summary>
internal static class PicturesAction
{
    public static async Task DrawAsync(PageRequest request)
    {
        var experiment = await request.Store.GetExperimentAsync(request.Route("id"), request.Aborted).ConfigureAwait(false);
        request.RequireWrite(experiment.Namespace);
        if (request.Blobs is null) throw new ArgumentException("this server keeps no file contents (it runs without a blob store), so it cannot attach pictures");
        await ExperimentPictures.AttachAsync(request.Store, request.Blobs, experiment.Id, request.Aborted).ConfigureAwait(false);
        request.SeeOther($"/experiments/{Html.U(experiment.Id)}#files-title");
    }
}
