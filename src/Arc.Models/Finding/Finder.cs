using Arc.Sdk;
using Arc.Tracking;
using Arc.Types;

namespace Arc.Models;

/// <summary>
/// Finds models for a job (docs/finder.md): keeps the candidates whose inputs and targets fit the job, ranks them by how
/// close the job's data is to the data each was trained on (the summary statistics in its meta.json), evaluates the
/// closest on the job and returns the ranking.
/// </summary>
public static class Finder
{
    /// <summary>
    /// Ranks <paramref name="candidates"/> for <paramref name="job"/>:
    /// <list type="number">
    /// <item>reads each candidate's meta.json and leaves out, with the reason, those whose X/Y types, sample shape, feature
    /// count or class names differ from the job's (a model whose class names differ cannot be scored on the job's truth);</item>
    /// <item>summarises a random sample of the job's split on each model's histogram bins and measures the distance to the
    /// model's training data (<see cref="DataDistance"/>), closest first;</item>
    /// <item>loads and evaluates the <see cref="FinderOptions.EvaluateTop"/> closest on the split and ranks those by the
    /// metric, ahead of the others.</item>
    /// </list>
    /// </summary>
    /// <param name="job">The job: its split <see cref="FinderOptions.Split"/> is compared and evaluated on.</param>
    /// <param name="candidates">Published or registered model versions (<see cref="ModelCandidate{X, Y}"/>).</param>
    /// <param name="options">Split, how many to evaluate, sample size, metric; defaults when null.</param>
    /// <param name="cancellationToken">Stops the search.</param>
    /// <exception cref="InvalidOperationException">The job's split is empty.</exception>
    public static async Task<FinderReport> FindAsync<X, Y>(SupervisedJob<X, Y> job, IEnumerable<ModelCandidate<X, Y>> candidates, FinderOptions? options = null,
        CancellationToken cancellationToken = default)
        where X : IArcData<X>
        where Y : IArcData<Y>
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(candidates);
        options ??= new FinderOptions();
        options.Validate();
        var sample = await SampleAsync(job, options, cancellationToken).ConfigureAwait(false);

        var rejected = new List<RejectedCandidate>();
        var fitting = new List<(ModelCandidate<X, Y> Candidate, ModelVersionMetadata Meta, DataDistance Distance)>();
        foreach (var candidate in candidates)
        {
            ModelVersionMetadata meta;
            try
            {
                meta = await candidate.Source.ReadMetadataAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ModelVersionFormatException or IOException or TrackingException or InvalidDataException)
            {
                rejected.Add(new RejectedCandidate(candidate.Description, $"its meta.json cannot be read: {e.Message}"));
                continue;
            }
            if (Misfit(meta, sample) is string reason)
            {
                rejected.Add(new RejectedCandidate(candidate.Description, reason));
                continue;
            }
            var statistics = StatisticsCollector.OfBatchOnBins(sample, meta.TrainingData.Statistics);
            fitting.Add((candidate, meta, DataDistance.Between(meta.TrainingData.Statistics, statistics)));
        }

        // Closest first; an unknown distance (nothing to compare) last; ties in the order given.
        var byDistance = fitting.Select((f, i) => (f, i))
            .OrderBy(p => double.IsNaN(p.f.Distance.Total) ? 1 : 0).ThenBy(p => p.f.Distance.Total).ThenBy(p => p.i)
            .Select(p => p.f).ToList();

        var entries = new List<FinderEntry>();
        string? metric = options.Metric;
        for (int rank = 1; rank <= byDistance.Count; rank++)
        {
            var (candidate, meta, distance) = byDistance[rank - 1];
            EvalReport? evaluation = null;
            if (rank <= options.EvaluateTop)
            {
                try
                {
                    evaluation = await EvaluateAsync(job, candidate, options, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is ModelVersionFormatException or IOException or TrackingException or InvalidDataException)
                {
                    rejected.Add(new RejectedCandidate(candidate.Description, $"it could not be loaded: {e.Message}"));
                    continue;
                }
                metric ??= evaluation.Metrics.ContainsKey("accuracy") ? "accuracy" : evaluation.Metrics.Keys.Order(StringComparer.Ordinal).FirstOrDefault();
            }
            double? score = evaluation is not null && metric is not null && evaluation.Metrics.TryGetValue(metric, out double s) ? s : null;
            entries.Add(new FinderEntry(candidate.Description, meta, distance, rank, evaluation, score));
        }

        var evaluated = entries.Where(e => e.Score is not null);
        var ranked = (options.LowerIsBetter ? evaluated.OrderBy(e => e.Score) : evaluated.OrderByDescending(e => e.Score))
            .ThenBy(e => e.DistanceRank)
            .Concat(entries.Where(e => e.Score is null).OrderBy(e => e.DistanceRank))
            .ToArray();
        return new FinderReport
        {
            Job = job.Name,
            Split = options.Split,
            Metric = entries.Any(e => e.Score is not null) ? metric : null,
            Ranked = ranked,
            Rejected = rejected,
        };
    }

    /// <summary>A random sample of the split (the whole split when it is smaller): the first batch of a shuffled stream.</summary>
    private static async Task<Batch<X, Y>> SampleAsync<X, Y>(SupervisedJob<X, Y> job, FinderOptions options, CancellationToken cancellationToken)
        where X : IArcData<X>
        where Y : IArcData<Y>
    {
        await foreach (var batch in job.StreamAsync(options.SampleSize, options.Split, options.Seed, cancellationToken).ConfigureAwait(false))
            if (batch.Inputs.Count > 0) return batch;
        throw new InvalidOperationException($"the {options.Split} split of job {job.Name} is empty: there is nothing to compare the models' training data with");
    }

    /// <summary>Why a model cannot be used on the job's data, or null when it can.</summary>
    private static string? Misfit<X, Y>(ModelVersionMetadata meta, Batch<X, Y> sample)
        where X : IArcData<X>
        where Y : IArcData<Y>
    {
        if (meta.X.Type != X.WireTag || meta.Y.Type != Y.WireTag)
            return $"it takes {meta.X.Type} → {meta.Y.Type}; the job is {X.WireTag} → {Y.WireTag}";
        if (meta.X.Shape is { } shape && FeatureValues.RowShape(sample.Inputs) is { } jobShape && !shape.SequenceEqual(jobShape))
            return $"it was trained on inputs of shape ({string.Join(", ", shape)}); the job's are ({string.Join(", ", jobShape)})";
        var features = FeatureValues.Names(sample.Inputs);
        var trained = meta.TrainingData.Statistics.Features;
        if (trained.Count != features.Count || !trained.Select(f => f.Name).SequenceEqual(features))
            return $"it was trained on the features [{string.Join(", ", trained.Select(f => f.Name))}]; the job's are [{string.Join(", ", features)}]";
        if (meta.Y.Names is { } names && TargetNames(sample.Targets) is { } jobNames && !names.SequenceEqual(jobNames))
            return $"it names the classes [{Describe(names)}] but the job [{Describe(jobNames)}]: its predictions cannot be scored against the job's truth";
        return null;
    }

    private static IReadOnlyList<string>? TargetNames<Y>(Y targets) where Y : IArcData<Y> => targets switch
    {
        ClassData classes => classes.ClassNames,
        LabelData labels => labels.LabelNames,
        _ => null,
    };

    private static string Describe(IReadOnlyList<string> names)
        => names.Count <= 12 ? string.Join(", ", names) : string.Join(", ", names.Take(12)) + $", … ({names.Count} in all)";

    private static async Task<EvalReport> EvaluateAsync<X, Y>(SupervisedJob<X, Y> job, ModelCandidate<X, Y> candidate, FinderOptions options, CancellationToken cancellationToken)
        where X : IArcData<X>
        where Y : IArcData<Y>
    {
        var meta = await candidate.Source.ReadMetadataAsync(cancellationToken).ConfigureAwait(false);
        var model = candidate.Create(meta) ?? throw new InvalidOperationException($"the factory of {candidate.Description} returned null");
        try
        {
            await ModelVersion.LoadAsync(candidate.Source, model, processor: null, cancellationToken).ConfigureAwait(false);
            return await job.EvaluateAsync(model, options.Split, options.EvaluationBatchSize, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (model is IAsyncDisposable asyncDisposable) await asyncDisposable.DisposeAsync().ConfigureAwait(false);
            else if (model is IDisposable disposable) disposable.Dispose();
        }
    }
}
