using Arc.Types;

namespace Arc.Datasets;

/// <summary>
/// Publishes a dataset version to S3 or an OCI registry: it is published into a local staging folder first, exactly as
/// to a folder destination (so the files and their hash are the same), then sent with meta.json last (docs/datasets.md,
/// "Destinations").
/// </summary>
internal static class DatasetRemotePublisher
{
    /// <summary>The artifact type of a dataset version in an OCI registry.</summary>
    public const string ArtifactType = "application/vnd.arc.dataset.v1";

    public static async Task<PublishedDataset> PublishAsync<X, Y>(DatasetPublisher.Plan<X, Y> plan, VersionLocation destination, VersionStorageOptions? storage,
        CancellationToken cancellationToken)
        where X : IArcData<X>
        where Y : IArcData<Y>
    {
        using var remote = RemoteVersion.ForPublish(destination, plan.Name, plan.Version, storage);
        // Checked before anything is written, and again (OCI) or atomically (Amazon S3) when the version becomes visible.
        if (await remote.ExistsAsync(cancellationToken).ConfigureAwait(false)) throw new DatasetVersionExistsException(remote.Uri);
        string staging = RemoteTransfer.CreateLocalFolder();
        try
        {
            var local = await DatasetPublisher.PublishAsync(plan, staging, cancellationToken).ConfigureAwait(false);
            await RemoteTransfer.PublishAsync(remote, local.Path, ArtifactType, () => new DatasetVersionExistsException(remote.Uri), cancellationToken)
                .ConfigureAwait(false);
            return new PublishedDataset(remote.Uri, local.Metadata);
        }
        finally
        {
            RemoteTransfer.DeleteLocalFolder(staging);
        }
    }
}
