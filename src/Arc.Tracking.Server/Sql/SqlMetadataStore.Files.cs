namespace Arc.Tracking.Server;

public abstract partial class SqlMetadataStore
{
    /// <inheritdoc/>
    public Task<AttachedFile> AttachFileAsync(FileOwner owner, FileRef file, CancellationToken cancellationToken = default)
    {
        CheckOwner(owner);
        ArgumentNullException.ThrowIfNull(file);
        return WriteAsync(async context =>
        {
            string @namespace = await OwnerNamespaceAsync(context, owner, cancellationToken).ConfigureAwait(false);
            await InsertFileAsync(context, owner.Id, file, cancellationToken).ConfigureAwait(false);
            await context.AppendEventAsync(TrackingEventKinds.FileAttached, owner.Id, @namespace,
                new EventPayload().With("object_kind", ObjectKindText(owner.Kind)).With("name", file.Name).With("sha256", file.Sha256).With("size", file.Size),
                cancellationToken).ConfigureAwait(false);
            return new AttachedFile(owner, file, context.Now);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<AttachedFile>> ListFilesAsync(FileOwner owner, CancellationToken cancellationToken = default)
    {
        CheckOwner(owner);
        return ReadAsync<IReadOnlyList<AttachedFile>>(async context =>
        {
            await OwnerNamespaceAsync(context, owner, cancellationToken).ConfigureAwait(false);
            return (await context.ListAsync("SELECT name, sha256, size, attached_us FROM files WHERE owner_id = @owner",
                reader => new AttachedFile(owner, new FileRef(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)), UnixMicros.ToTime(reader.GetInt64(3))),
                cancellationToken, ("@owner", owner.Id)).ConfigureAwait(false)).OrderBy(f => f.File.Name, StringComparer.Ordinal).ToList();
        }, cancellationToken);
    }

    private async Task InsertFileAsync(StoreContext context, string ownerId, FileRef file, CancellationToken cancellationToken)
        => await InsertUniqueAsync(context, "INSERT INTO files (owner_id, name, sha256, size, attached_us) VALUES (@owner, @name, @sha, @size, @now)",
            $"'{ownerId}' has a file named '{file.Name}' already; files are not replaced: attach the new content under another name",
            cancellationToken, ("@owner", ownerId), ("@name", file.Name), ("@sha", file.Sha256), ("@size", file.Size), ("@now", context.NowMicros)).ConfigureAwait(false);

    private static void CheckOwner(FileOwner owner)
    {
        if (owner.Kind is not (TrackedObjectKind.Experiment or TrackedObjectKind.ModelVersion))
            throw new ArgumentException("a file owner is made with FileOwner.Experiment(id) or FileOwner.ModelVersion(id), not default", nameof(owner));
    }

    private static Task<string> OwnerNamespaceAsync(StoreContext context, FileOwner owner, CancellationToken cancellationToken)
        => owner.Kind == TrackedObjectKind.Experiment
            ? ExperimentNamespaceAsync(context, owner.Id, cancellationToken)
            : VersionNamespaceAsync(context, owner.Id, cancellationToken);
}
