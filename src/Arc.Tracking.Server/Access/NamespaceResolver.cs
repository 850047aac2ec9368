using System.Collections.Concurrent;

namespace Arc.Tracking.Server;

/// <summary>
/// Finds the namespace an id belongs to, for calls that name an object by id (<c>GetExperiment</c>, <c>LogMetrics</c>,
/// <c>GetCheckpoint</c> …). An object never moves to another namespace, so each answer is kept: a run logging
/// thousands of batches asks the store once. The caches hold ids only, bounded by <see cref="MaxCached"/> each.
/// </summary>
internal sealed class NamespaceResolver(IMetadataStore store)
{
    private const int MaxCached = 100_000;
    private readonly ConcurrentDictionary<string, string> _experiments = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _checkpoints = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _models = new(StringComparer.Ordinal);

    public async ValueTask<string> OfExperimentAsync(string id, CancellationToken cancellationToken)
    {
        if (_experiments.TryGetValue(id, out var space)) return space;
        var experiment = await store.GetExperimentAsync(id, cancellationToken).ConfigureAwait(false);
        return Remember(_experiments, id, experiment.Namespace);
    }

    public async ValueTask<string> OfCheckpointAsync(string id, CancellationToken cancellationToken)
    {
        if (_checkpoints.TryGetValue(id, out var space)) return space;
        var checkpoint = await store.GetCheckpointAsync(id, cancellationToken).ConfigureAwait(false);
        return Remember(_checkpoints, id, await OfExperimentAsync(checkpoint.ExperimentId, cancellationToken).ConfigureAwait(false));
    }

    public async ValueTask<string> OfModelAsync(string id, CancellationToken cancellationToken)
    {
        if (_models.TryGetValue(id, out var space)) return space;
        var model = await store.GetModelAsync(id, cancellationToken).ConfigureAwait(false);
        return Remember(_models, id, model.Namespace);
    }

    public async ValueTask<string> OfModelVersionAsync(string id, CancellationToken cancellationToken)
        => (await store.GetModelVersionAsync(id, cancellationToken).ConfigureAwait(false)).Namespace;

    private static string Remember(ConcurrentDictionary<string, string> cache, string id, string space)
    {
        // A full cache is cleared rather than grown: answers are cheap to find again, memory is not to be given away.
        if (cache.Count >= MaxCached) cache.Clear();
        cache[id] = space;
        return space;
    }
}
