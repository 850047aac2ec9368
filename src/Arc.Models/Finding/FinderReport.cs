using System.Globalization;
using System.Text;
using Arc.Sdk;

namespace Arc.Models;

/// <summary>What <see cref="Finder.FindAsync{X, Y}"/> found for a job.</summary>
public sealed class FinderReport
{
    /// <summary>The job's name.</summary>
    public required string Job { get; init; }

    /// <summary>The split compared and evaluated.</summary>
    public required DataSplit Split { get; init; }

    /// <summary>The metric that ranked the evaluated candidates; null when none was evaluated.</summary>
    public string? Metric { get; init; }

    /// <summary>
    /// The candidates that fit the job, best first: the evaluated ones by <see cref="Metric"/>, then the others by
    /// distance (an unknown distance last).
    /// </summary>
    public required IReadOnlyList<FinderEntry> Ranked { get; init; }

    /// <summary>The fitting candidates by distance alone, closest first (before evaluation).</summary>
    public IReadOnlyList<FinderEntry> ByDistance => [.. Ranked.OrderBy(e => e.DistanceRank)];

    /// <summary>The candidates left out, each with the reason.</summary>
    public required IReadOnlyList<RejectedCandidate> Rejected { get; init; }

    /// <summary>A readable table: rank, model, distance and its terms, the metric.</summary>
    public string Format()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"job={Job} split={Split.ToString().ToLowerInvariant()} candidates={Ranked.Count + Rejected.Count} fit={Ranked.Count}");
        text.AppendLine();
        text.AppendLine($"{"rank",4}  {"model",-32}  {"distance",8}  {"hist",6}  {"moments",7}  {"classes",7}  {Metric ?? "metric",8}");
        int rank = 1;
        foreach (var e in Ranked)
        {
            string name = $"{e.Metadata.Name}:{e.Metadata.Version}";
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{rank++,4}  {name,-32}  {e.Distance.Total,8:0.0000}  {e.Distance.Histogram,6:0.000}  {e.Distance.Moments,7:0.000}  {e.Distance.Classes,7:0.000}  {(e.Score is double s ? s.ToString("0.0000", CultureInfo.InvariantCulture) : "-"),8}"));
        }
        foreach (var r in Rejected) text.AppendLine($"left out: {r.Description}: {r.Reason}");
        return text.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => Format();
}

/// <summary>A candidate that fits the job.</summary>
/// <param name="Description">Where the version is.</param>
/// <param name="Metadata">Its meta.json.</param>
/// <param name="Distance">How far the job's data is from its training data.</param>
/// <param name="DistanceRank">Its place by distance alone, from 1.</param>
/// <param name="Evaluation">Its evaluation on the job's split; null when it was not among the evaluated.</param>
/// <param name="Score">The ranking metric of <see cref="Evaluation"/>; null when not evaluated.</param>
public sealed record FinderEntry(string Description, ModelVersionMetadata Metadata, DataDistance Distance, int DistanceRank, EvalReport? Evaluation, double? Score);

/// <summary>A candidate the Finder left out.</summary>
/// <param name="Description">Where the version is.</param>
/// <param name="Reason">Why: its X/Y do not fit the job, or its metadata cannot be read.</param>
public sealed record RejectedCandidate(string Description, string Reason);
