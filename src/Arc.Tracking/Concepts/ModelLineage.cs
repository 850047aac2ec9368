namespace Arc.Tracking;

/// <summary>
/// Where a model version came from: the experiment that trained it, the job that fed it, the dataset it saw and the
/// version it was trained from. Each part is optional; a store checks that the experiment and the parent exist.
/// </summary>
public sealed record ModelLineage
{
    /// <summary>A lineage with the parts that are known.</summary>
    public ModelLineage(string? experimentId = null, string? job = null, DatasetRef? dataset = null, string? parentVersionId = null)
    {
        ExperimentId = experimentId is null ? null : TrackingNames.Id(experimentId, nameof(experimentId), "experiment id");
        Job = job is null ? null : TrackingNames.Name(job, nameof(job), "job name");
        Dataset = dataset;
        ParentVersionId = parentVersionId is null ? null : TrackingNames.Id(parentVersionId, nameof(parentVersionId), "parent version id");
    }

    /// <summary>No lineage known.</summary>
    public static ModelLineage None { get; } = new();

    /// <summary>The experiment that trained the version.</summary>
    public string? ExperimentId { get; }

    /// <summary>The job that streamed its training data (the job's name).</summary>
    public string? Job { get; }

    /// <summary>The dataset it was trained on.</summary>
    public DatasetRef? Dataset { get; }

    /// <summary>The model version it was trained from (fine-tuned, distilled…), of this or another model.</summary>
    public string? ParentVersionId { get; }
}
