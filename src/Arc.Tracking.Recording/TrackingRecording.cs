using System.Globalization;
using System.Text;
using Arc.Sdk;
using Arc.Tracking.Server;

namespace Arc.Tracking.Recording;

/// <summary>
/// One model run recorded as an experiment: steps and epochs go through a <see cref="TrackingClient"/> (batched in the
/// background); checkpoints, the end, the evaluation and a saved model are written at once.
/// </summary>
internal sealed class TrackingRecording(TrackingConnection connection, Experiment experiment, TrainingRunInfo run, string owner, TrackingClient points)
    : ITrainingRecording
{
    private TrackingClient? _points = points;
    private long _lastStep;

    public Experiment Experiment { get; } = experiment;

    public string Description => $"experiment {Experiment.Name} (id {Experiment.Id}, namespace {Experiment.Namespace}) in {connection.Destination}";

    public ValueTask LogStepAsync(long step, int epoch, double loss, CancellationToken cancellationToken = default)
    {
        _lastStep = step;
        return Points.LogAsync(Experiment.Id, new MetricPoint("train/loss", step, DateTimeOffset.UtcNow, loss), cancellationToken);
    }

    public async ValueTask LogEpochAsync(int epoch, long step, IReadOnlyDictionary<string, double> metrics, CancellationToken cancellationToken = default)
    {
        var now = DateTimeOffset.UtcNow;
        await Points.LogAsync(Experiment.Id, new MetricPoint("train/epoch", step, now, epoch), cancellationToken).ConfigureAwait(false);
        foreach (var (key, value) in metrics)
            await Points.LogAsync(Experiment.Id, new MetricPoint(RunDescription.Key(key), step, now, value), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask SaveCheckpointAsync(long step, int epoch, Func<Stream, CancellationToken, ValueTask> writeWeights,
        IReadOnlyDictionary<string, double> metrics, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writeWeights);
        // The weights go to a temporary file first: a blob is named by its hash, which is known only at the end, and a
        // large model should not sit in memory.
        string path = Path.Combine(Path.GetTempPath(), $"arc-checkpoint-{Guid.NewGuid():N}");
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await using var _ = file.ConfigureAwait(false);
        await writeWeights(file, cancellationToken).ConfigureAwait(false);
        file.Position = 0;
        var attached = await UploadAsync(FileOwner.Experiment(Experiment.Id), $"checkpoints/epoch-{epoch:D4}-step-{step}.weights", file, cancellationToken).ConfigureAwait(false);
        await connection.Store.CreateCheckpointAsync(new CheckpointDraft(Experiment.Id, step, attached.File.Sha256)
        {
            Epoch = epoch,
            Metrics = metrics.ToDictionary(m => RunDescription.Key(m.Key), m => m.Value, StringComparer.Ordinal),
        }, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask EndAsync(TrainingOutcome outcome, CancellationToken cancellationToken = default)
    {
        if (_points is { } points)
        {
            _points = null;
            await points.DisposeAsync().ConfigureAwait(false);
        }
        var status = outcome switch
        {
            TrainingOutcome.Finished => ExperimentStatus.Finished,
            TrainingOutcome.Cancelled => ExperimentStatus.Killed,
            _ => ExperimentStatus.Failed,
        };
        await connection.Store.SetExperimentStatusAsync(Experiment.Id, status, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The report's metrics as <c>eval/&lt;split&gt;/&lt;metric&gt;</c> points at the last step, per class
    /// <c>eval/&lt;split&gt;/class/&lt;name&gt;/{precision,recall,f1,support}</c>, the confusion matrix as
    /// <c>eval/&lt;split&gt;/confusion/&lt;truth&gt;/&lt;predicted&gt;</c> counts and as a CSV file, and the printed report as a file.
    /// </summary>
    public async ValueTask LogEvaluationAsync(EvalReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        string split = report.Split.ToString().ToLowerInvariant();
        string prefix = $"eval/{split}/";
        var now = DateTimeOffset.UtcNow;
        var evaluation = new List<MetricPoint>();
        void Add(string key, double value) => evaluation.Add(new MetricPoint(RunDescription.Key(prefix + key), _lastStep, now, value));
        foreach (var (name, value) in report.Metrics) Add(name, value);
        if (report.Classification is { } classes)
        {
            foreach (var c in classes.PerClass)
            {
                string cls = RunDescription.Key(c.Name).Replace('/', '_');
                Add($"class/{cls}/precision", c.Precision);
                Add($"class/{cls}/recall", c.Recall);
                Add($"class/{cls}/f1", c.F1);
                Add($"class/{cls}/support", c.Support);
            }
            int n = classes.ClassNames.Count;
            for (int t = 0; t < n; t++)
                for (int p = 0; p < n; p++)
                    Add($"confusion/{t}/{p}", classes.Confusion(t, p));
        }
        if (evaluation.Count > 0)
            foreach (var chunk in evaluation.Chunk(MetricBatch.MaxPoints))
                await connection.Store.LogMetricsAsync(new MetricBatch(Experiment.Id, chunk), cancellationToken).ConfigureAwait(false);

        var owner = FileOwner.Experiment(Experiment.Id);
        await UploadTextAsync(owner, $"evaluation/{split}-report.txt", report.Format(), cancellationToken).ConfigureAwait(false);
        if (report.Classification is { } matrix)
            await UploadTextAsync(owner, $"evaluation/{split}-confusion.csv", ConfusionCsv(matrix), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The saved artifact as a new version of the registered model named like the run's model (created on first use),
    /// with the evaluation's metrics and the lineage: this experiment and the run's job.
    /// </summary>
    public async ValueTask LogSavedModelAsync(string reference, EvalReport? evaluation, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        var model = await FindOrCreateModelAsync(cancellationToken).ConfigureAwait(false);
        var metrics = evaluation?.Metrics.ToDictionary(m => RunDescription.Key(m.Key), m => m.Value, StringComparer.Ordinal)
            ?? new Dictionary<string, double>();
        await connection.Store.CreateModelVersionAsync(new ModelVersionDraft(model.Id)
        {
            ArtifactReference = reference,
            Metrics = metrics,
            Lineage = new ModelLineage(experimentId: Experiment.Id, job: RunDescription.Name(run.Job)),
        }, cancellationToken).ConfigureAwait(false);
    }

    private TrackingClient Points => _points
        ?? throw new InvalidOperationException($"the training run of {Description} has ended; steps and epochs can no longer be logged");

    private async Task<RegisteredModel> FindOrCreateModelAsync(CancellationToken cancellationToken)
    {
        string name = RunDescription.Name(run.Model);
        if (await connection.Store.FindModelAsync(Experiment.Namespace, name, cancellationToken).ConfigureAwait(false) is { } found) return found;
        try
        {
            return await connection.Store.CreateModelAsync(new RegisteredModelDraft(Experiment.Namespace, name, owner)
            {
                Task = "supervised",
                Description = $"Arc model {run.Model}, recorded by training",
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (TrackingAlreadyExistsException)
        {
            // Another run registered it between the find and the create.
            return await connection.Store.FindModelAsync(Experiment.Namespace, name, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"model {name} was reported to exist but cannot be found");
        }
    }

    private Task<AttachedFile> UploadTextAsync(FileOwner owner, string name, string text, CancellationToken cancellationToken)
        => UploadAsync(owner, name, new MemoryStream(Encoding.UTF8.GetBytes(text)), cancellationToken);

    /// <summary>Uploads and attaches a file; a name already taken (a second evaluation) gets <c>-2</c>, <c>-3</c>… before its extension.</summary>
    private async Task<AttachedFile> UploadAsync(FileOwner owner, string name, Stream content, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            string candidate = attempt == 1 ? name
                : Path.ChangeExtension(name, null) + "-" + attempt.ToString(CultureInfo.InvariantCulture) + Path.GetExtension(name);
            content.Position = 0;
            try
            {
                return await connection.UploadFileAsync(owner, candidate, content, cancellationToken).ConfigureAwait(false);
            }
            catch (TrackingAlreadyExistsException) when (attempt < 100)
            {
            }
        }
    }

    private static string ConfusionCsv(ClassificationMetrics matrix)
    {
        var csv = new StringBuilder("truth\\predicted");
        foreach (var name in matrix.ClassNames) csv.Append(',').Append(Quote(name));
        csv.Append('\n');
        for (int t = 0; t < matrix.ClassNames.Count; t++)
        {
            csv.Append(Quote(matrix.ClassNames[t]));
            for (int p = 0; p < matrix.ClassNames.Count; p++) csv.Append(',').Append(matrix.Confusion(t, p).ToString(CultureInfo.InvariantCulture));
            csv.Append('\n');
        }
        return csv.ToString();
    }

    private static string Quote(string field)
        => field.AsSpan().IndexOfAny(",\"\n\r") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
