using Arc.Tracking.Server;

namespace Arc.Tracking.Web;

/// <summary>
/// Pictures of an experiment without a browser: each training curve and each evaluation's confusion matrix as a PNG
/// (ScottPlot), uploaded to the blob store and attached to the experiment under <see cref="Folder"/>, where its page
/// shows and links them. Names carry the last step drawn, so drawing again after more training adds new pictures and
/// drawing again without adds none.
/// </summary>
public static class ExperimentPictures
{
    /// <summary>The folder of the attached pictures among the experiment's files.</summary>
    public const string Folder = "pictures/";

    /// <summary>
    /// Draws the pictures of experiment <paramref name="experimentId"/> that it does not have yet and attaches them;
    /// returns the files attached (none when every picture was drawn before).
    /// </summary>
    /// <exception cref="TrackingNotFoundException">No experiment has that id.</exception>
    public static async Task<IReadOnlyList<AttachedFile>> AttachAsync(IMetadataStore store, IBlobStore blobs, string experimentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(blobs);
        var experiment = await store.GetExperimentAsync(experimentId, cancellationToken).ConfigureAwait(false);
        var owner = FileOwner.Experiment(experiment.Id);
        var files = await store.ListFilesAsync(owner, cancellationToken).ConfigureAwait(false);
        var taken = files.Select(f => f.File.Name).ToHashSet(StringComparer.Ordinal);
        var latest = await store.ReadLatestMetricsAsync(experiment.Id, cancellationToken).ConfigureAwait(false);
        var attached = new List<AttachedFile>();

        foreach (var last in latest.Where(p => ExperimentPage.IsTrainingSeries(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            string name = $"{Folder}{last.Key.Replace('/', '_')}@{last.Step}.png";
            if (taken.Contains(name)) continue;
            var points = await store.ReadMetricAsync(experiment.Id, last.Key, cancellationToken: cancellationToken).ConfigureAwait(false);
            attached.Add(await AttachPngAsync(store, blobs, owner, name, PictureDrawing.Curve(experiment.Name, last.Key, points), cancellationToken).ConfigureAwait(false));
        }
        foreach (var report in EvaluationReport.From(latest))
        {
            if (report.Confusion is not { } matrix) continue;
            long step = latest.Where(p => p.Key.StartsWith($"eval/{report.Split}/confusion/", StringComparison.Ordinal)).Max(p => p.Step);
            string name = $"{Folder}{report.Split}-confusion@{step}.png";
            if (taken.Contains(name)) continue;
            var classes = await ClassNames.ReadAsync(blobs, report.Split, matrix.GetLength(0), files, cancellationToken).ConfigureAwait(false);
            byte[] png = PictureDrawing.Confusion($"{experiment.Name}: {report.Split} confusion matrix (rows: true, columns: predicted)", classes, matrix);
            attached.Add(await AttachPngAsync(store, blobs, owner, name, png, cancellationToken).ConfigureAwait(false));
        }
        return attached;
    }

    /// <summary>The words for a picture's file name (the page's alt text).</summary>
    internal static string Describe(string fileName)
    {
        string stem = Path.GetFileNameWithoutExtension(fileName);
        int at = stem.LastIndexOf('@');
        return at < 0 ? $"picture {stem}" : $"picture of {stem[..at]} up to step {stem[(at + 1)..]}";
    }

    private static async Task<AttachedFile> AttachPngAsync(IMetadataStore store, IBlobStore blobs, FileOwner owner, string name, byte[] png, CancellationToken cancellationToken)
    {
        using var content = new MemoryStream(png, writable: false);
        var blob = await blobs.PutAsync(content, cancellationToken).ConfigureAwait(false);
        try
        {
            return await store.AttachFileAsync(owner, new FileRef(name, blob.Sha256, blob.Size), cancellationToken).ConfigureAwait(false);
        }
        catch (TrackingAlreadyExistsException)
        {
            // Drawn meanwhile by another caller (the button, the drawing at the end, another server): the same picture.
            var files = await store.ListFilesAsync(owner, cancellationToken).ConfigureAwait(false);
            return files.First(f => f.File.Name == name);
        }
    }
}
