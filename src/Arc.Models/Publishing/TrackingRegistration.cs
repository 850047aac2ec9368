using Arc.Tracking;
using Arc.Tracking.Server;

namespace Arc.Models;

/// <summary>
/// Registers a published model version in tracking: the registered model named like the model (created on first use),
/// a new version with the evaluation's metrics, the tags as labels, lineage to the dataset (name, version, hash), and
/// meta.json and the weights as its files — so the registered version holds everything the folder does.
/// </summary>
internal static class TrackingRegistration
{
    public static async Task<RegisteredModelVersion> RegisterAsync(string destination, string folder, ModelVersionMetadata meta, ModelPublishOptions options,
        CancellationToken cancellationToken)
    {
        string ns = TrackingNames.Namespace(options.TrackingNamespace
            ?? (Environment.GetEnvironmentVariable("ARC_TRACKING_NAMESPACE") is { Length: > 0 } env ? env : "default"), nameof(options.TrackingNamespace));
        string owner = options.Owner ?? (Environment.UserName is { Length: > 0 } user ? user : "unknown");
        var connection = await TrackingConnection.OpenAsync(destination, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var model = await FindOrCreateModelAsync(connection.Store, ns, meta.Name, owner, cancellationToken).ConfigureAwait(false);
            var version = await connection.Store.CreateModelVersionAsync(new ModelVersionDraft(model.Id)
            {
                Metrics = meta.Evaluation?.Metrics.ToDictionary(m => $"eval/{ModelMetaJson.SplitName(meta.Evaluation.Split)}/{m.Key}", m => m.Value, StringComparer.Ordinal)
                          ?? new Dictionary<string, double>(),
                Labels = meta.Tags.Distinct(StringComparer.Ordinal).ToDictionary(t => t, _ => "", StringComparer.Ordinal),
                Lineage = new ModelLineage(dataset: new DatasetRef(meta.Dataset.Name, meta.Dataset.Version, "sha256:" + meta.Dataset.Hash)),
            }, cancellationToken).ConfigureAwait(false);
            var files = FileOwner.ModelVersion(version.Id);
            foreach (string file in new[] { ModelMetaJson.FileName, ModelVersionPublisher.WeightsFile })
            {
                var content = new FileStream(Path.Combine(folder, file), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
                await using (content.ConfigureAwait(false))
                    await connection.UploadFileAsync(files, file, content, cancellationToken).ConfigureAwait(false);
            }
            return new RegisteredModelVersion(connection.Destination.ToString(), ns, model.Id, version.Id, version.Version);
        }
    }

    private static async Task<RegisteredModel> FindOrCreateModelAsync(IMetadataStore store, string ns, string name, string owner, CancellationToken cancellationToken)
    {
        if (await store.FindModelAsync(ns, name, cancellationToken).ConfigureAwait(false) is { } found) return found;
        try
        {
            return await store.CreateModelAsync(new RegisteredModelDraft(ns, name, owner)
            {
                Task = "supervised",
                Description = $"Arc model {name}, published as model versions",
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (TrackingAlreadyExistsException)
        {
            // Another publish registered it between the find and the create.
            return await store.FindModelAsync(ns, name, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"model {name} was reported to exist in namespace {ns} but cannot be found");
        }
    }
}

/// <summary>Where a published model version was registered in tracking.</summary>
/// <param name="Destination">The tracking destination (<c>file:…</c>, <c>http://…</c>).</param>
/// <param name="Namespace">The namespace.</param>
/// <param name="ModelId">The registered model's id.</param>
/// <param name="VersionId">The version's id.</param>
/// <param name="Number">The version's number (1, 2, 3… per model).</param>
public sealed record RegisteredModelVersion(string Destination, string Namespace, string ModelId, string VersionId, int Number);

/// <summary>A published model version.</summary>
/// <param name="Folder">Its folder, <c>&lt;destination&gt;/&lt;model&gt;/&lt;version&gt;</c>, or its URI in a remote destination (what <c>ModelVersion.LoadAsync</c> loads).</param>
/// <param name="Metadata">Its meta.json.</param>
/// <param name="Registered">Where it was registered in tracking; null when no destination was set.</param>
public sealed record PublishedModelVersion(string Folder, ModelVersionMetadata Metadata, RegisteredModelVersion? Registered);
