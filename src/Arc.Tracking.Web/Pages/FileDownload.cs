using Arc.Tracking.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;

namespace Arc.Tracking.Web;

/// <summary>An experiment's attached file, streamed from the blob store (checked against its hash as it is read).</summary>
internal static class FileDownload
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static async Task ExperimentFileAsync(PageRequest request)
    {
        var experiment = await request.Store.GetExperimentAsync(request.Route("id"), request.Aborted).ConfigureAwait(false);
        request.RequireRead(experiment.Namespace);
        string name = request.Route("name");
        var files = await request.Store.ListFilesAsync(FileOwner.Experiment(experiment.Id), request.Aborted).ConfigureAwait(false);
        var file = files.FirstOrDefault(f => f.File.Name == name)
            ?? throw new TrackingNotFoundException($"experiment '{experiment.Name}' has no file '{name}'");
        if (request.Blobs is null) throw new TrackingNotFoundException("this server keeps no file contents (it runs without a blob store)");
        Stream content;
        try
        {
            content = await request.Blobs.OpenReadAsync(file.File.Sha256, request.Aborted).ConfigureAwait(false);
        }
        catch (BlobNotFoundException e)
        {
            throw new TrackingNotFoundException($"the contents of '{name}' are missing from the blob store: {e.Message}");
        }
        await using (content.ConfigureAwait(false))
        {
            var response = request.Context.Response;
            response.ContentType = ContentTypes.TryGetContentType(name, out string? type) ? type : "application/octet-stream";
            response.ContentLength = file.File.Size;
            // Shown inline (pictures, text reports); the attachment name keeps only the last part of the path.
            response.Headers.ContentDisposition = $"inline; filename=\"{Path.GetFileName(name).Replace("\"", "", StringComparison.Ordinal)}\"";
            response.Headers.XContentTypeOptions = "nosniff";
            // A file is the trainer's, not the server's: sandboxed, an attached HTML file runs no script as this site.
            response.Headers.ContentSecurityPolicy = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'";
            await content.CopyToAsync(response.Body, request.Aborted).ConfigureAwait(false);
        }
    }
}
