using System.Diagnostics;
using Arc.Artifacts;
using Arc.Remote;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// Trains saved models by reference (seed 000's <c>trainer.train(job, models=["repo:model-...", ...])</c>): each is
/// pulled and started on a target in its own worker, all concurrently, trained together on one stream of the job by a
/// <see cref="Trainer{X, Y}"/>, evaluated, and saved back as a new artifact whose config names its parent. The job
/// may itself run on a target (a deployed or saved job): its batches then flow from its worker through this process
/// to the models' workers.
/// </summary>
public static class Trainer
{
    /// <summary>
    /// Starts every saved model of <paramref name="models"/> on <paramref name="target"/> (each in its own worker on
    /// <see cref="Target.LocalProcess"/>, from the artifact's own code bundle), trains them together on
    /// <paramref name="job"/>, evaluates them, saves each trained copy (the parent's code and hyperparameters, the new
    /// weights and evaluation, <c>parent</c> in its config) and stops the workers.
    /// </summary>
    /// <param name="job">The job streaming the data and scoring the models (local or deployed).</param>
    /// <param name="models">References of saved models from <typeparamref name="X"/> to <typeparamref name="Y"/>; at least one.</param>
    /// <param name="target">Where the models run.</param>
    /// <param name="options">Training, evaluation, where to save; defaults when null.</param>
    /// <param name="progress">Told after every batch; null for none.</param>
    /// <param name="cancellationToken">Stops everything; throws <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="ArgumentException">No models, a null one, or one that names a repository rather than an artifact.</exception>
    /// <exception cref="SavedArtifactTypeMismatchException">A saved model takes or returns other types (nothing is started).</exception>
    /// <remarks>A model that cannot be pulled or started fails the whole call (the others are stopped); one that fails while training is reported in its entry.</remarks>
    public static async Task<ArtifactTrainingResult> TrainAsync<X, Y>(ISupervisedJob<X, Y> job, IReadOnlyList<ArtifactReference> models, Target target,
        ArtifactTrainingOptions? options = null, IProgress<TrainerProgress>? progress = null, CancellationToken cancellationToken = default)
        where X : class, IArcData<X>
        where Y : class, IArcData<Y>
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(target);
        options ??= new ArtifactTrainingOptions();
        if (models.Count == 0) throw new ArgumentException("give at least one saved model to train", nameof(models));
        for (int i = 0; i < models.Count; i++)
        {
            if (models[i] is null) throw new ArgumentException($"model reference {i} is null", nameof(models));
            if (!models[i].NamesArtifact)
                throw new ArgumentException($"model reference {i} ('{models[i]}') names a repository, not a saved model: add :<tag> or @sha256:<digest>", nameof(models));
        }
        (options.Train ?? new TrainOptions()).Validate();

        var clock = Stopwatch.StartNew();
        var opened = new SavedArtifactReader?[models.Count];
        var started = new IDeployedModel<X, Y>?[models.Count];
        try
        {
            // Every artifact is opened (trust and types checked) before any worker starts, so a wrong reference costs no process.
            await Task.WhenAll(models.Select(async (reference, i) =>
                opened[i] = await SavedModel.OpenAsync(reference, options.Connect, cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);
            foreach (var saved in opened) saved!.CheckTypes<X, Y>();
            await Task.WhenAll(opened.Select(async (saved, i) =>
                started[i] = await SavedModel.ConnectAsync<X, Y>(saved!, target, options.Connect, cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);

            var trainer = new Trainer<X, Y>(options.Train) { EvaluationSplit = options.EvaluationSplit };
            var trained = await trainer.TrainAsync(job, started.Select(m => (ISupervisedModel<X, Y>)m!).ToArray(), progress, cancellationToken).ConfigureAwait(false);

            var entries = await Task.WhenAll(trained.Entries.Select(entry =>
                SaveAsync(entry, opened[Array.IndexOf(started, entry.Model)]!, options, cancellationToken))).ConfigureAwait(false);
            // Saving can fail too: keep the trainer's order, with entries whose save failed moved behind the good ones.
            var ranked = entries.Where(e => !e.Failed).Concat(entries.Where(e => e.Failed)).ToArray();
            return new ArtifactTrainingResult(ranked, trained.Metric, trained.EpochsCompleted, trained.StoppedByBudget, clock.Elapsed);
        }
        finally
        {
            await Task.WhenAll(started.Where(m => m is not null).Select(m => m!.DisposeAsync().AsTask())).ConfigureAwait(false);
            foreach (var saved in opened) saved?.Dispose();
        }
    }

    /// <summary>Saves one trained model as the child of its parent; a model that failed (or fails to save) gets an entry without a copy.</summary>
    private static async Task<TrainedArtifact> SaveAsync<X, Y>(TrainerEntry<X, Y> entry, SavedArtifactReader parent, ArtifactTrainingOptions options,
        CancellationToken cancellationToken)
        where X : class, IArcData<X>
        where Y : class, IArcData<Y>
    {
        var pinned = parent.Pulled.Reference.RepositoryOnly.WithDigest(parent.Pulled.Digest);
        int? processId = (entry.Model as IWorkerProcess)?.ProcessId;
        if (entry.Failed || entry.Report is null)
            return new TrainedArtifact(pinned, null, entry.Report, entry.Error, entry.Steps, processId);
        try
        {
            var saved = await SavedArtifactWriter.SaveTrainedAsync(parent.Store, parent.Pulled, parent.Config,
                (stream, token) => entry.Model.SaveWeightsAsync(stream, token), EvaluationJson.Write(entry.Report),
                options.Repository ?? pinned.RepositoryOnly, options.Connect?.RegistryOptions, options.SigningKey, cancellationToken).ConfigureAwait(false);
            return new TrainedArtifact(pinned, saved, entry.Report, null, entry.Steps, processId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new TrainedArtifact(pinned, null, entry.Report, e, entry.Steps, processId);
        }
    }
}
