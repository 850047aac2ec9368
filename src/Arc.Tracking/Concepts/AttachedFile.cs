namespace Arc.Tracking;

/// <summary>A file as attached to an experiment or a model version.</summary>
/// <param name="Owner">What it is attached to.</param>
/// <param name="File">Its name, sha256 and size.</param>
/// <param name="AttachedAt">When it was attached (to the microsecond).</param>
public sealed record AttachedFile(FileOwner Owner, FileRef File, DateTimeOffset AttachedAt);
