using Arc.Tracking.Server;
using Arc.Types;

namespace Arc.Models;

/// <summary>
/// A model version offered to the <see cref="Finder"/>: a published version's folder or a version registered in
/// tracking by <see cref="ModelVersion.PublishAsync{X, Y}"/>, with a way to make a model object its weights load into
/// (called only for the candidates that are evaluated).
/// </summary>
/// <typeparam name="X">The job's inputs.</typeparam>
/// <typeparam name="Y">The job's targets.</typeparam>
public sealed class ModelCandidate<X, Y>
    where X : IArcData<X>
    where Y : IArcData<Y>
{
    private ModelCandidate(ModelVersionSource source, Func<ModelVersionMetadata, ISupervisedModel<X, Y>> create)
    {
        Source = source;
        Create = create;
    }

    internal ModelVersionSource Source { get; }

    internal Func<ModelVersionMetadata, ISupervisedModel<X, Y>> Create { get; }

    /// <summary>Where the version is, for reports.</summary>
    public string Description => Source.Description;

    /// <summary>The published version at <paramref name="uri"/>: a folder (a path or <c>file://</c> URI), <c>s3://…/&lt;model&gt;/&lt;version&gt;</c> or <c>oci://…/&lt;model&gt;:&lt;version&gt;</c>.</summary>
    /// <param name="uri">The version's folder or URI.</param>
    /// <param name="create">
    /// Makes a model of the version's type with its hyperparameters, e.g.
    /// <c>meta =&gt; new ConvClassifier(channels: (int)(long)meta.Hyperparameters["channels"])</c>; the weights are loaded into it.
    /// </param>
    /// <param name="storage">How a remote version is reached; null: from the environment.</param>
    public static ModelCandidate<X, Y> Published(string uri, Func<ModelVersionMetadata, ISupervisedModel<X, Y>> create, Arc.Datasets.VersionStorageOptions? storage = null)
    {
        ArgumentNullException.ThrowIfNull(create);
        return new(ModelVersion.SourceOf(uri, storage, mustExist: false), create);
    }

    /// <summary>A version registered in tracking (its files meta.json and model.weights are read from there).</summary>
    /// <param name="connection">The open tracking destination; it must stay open while the Finder runs.</param>
    /// <param name="version">The registered version.</param>
    /// <param name="create">Makes a model of the version's type with its hyperparameters (see <see cref="Published"/>).</param>
    public static ModelCandidate<X, Y> Registered(TrackingConnection connection, Tracking.ModelVersion version, Func<ModelVersionMetadata, ISupervisedModel<X, Y>> create)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(create);
        return new(new TrackingSource(connection, version), create);
    }

    /// <summary>
    /// Every version of every registered model in <paramref name="namespace"/> of <paramref name="connection"/>, oldest
    /// model first, versions in order; versions without a meta.json (saved by other means) are offered too and the Finder
    /// reports them as not comparable.
    /// </summary>
    public static async Task<IReadOnlyList<ModelCandidate<X, Y>>> AllRegisteredAsync(TrackingConnection connection, string @namespace,
        Func<ModelVersionMetadata, ISupervisedModel<X, Y>> create, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(create);
        var candidates = new List<ModelCandidate<X, Y>>();
        foreach (var model in await connection.Store.ListModelsAsync(@namespace, cancellationToken).ConfigureAwait(false))
            foreach (var version in await connection.Store.ListModelVersionsAsync(model.Id, cancellationToken).ConfigureAwait(false))
                candidates.Add(Registered(connection, version, create));
        return candidates;
    }
}
