namespace Arc.Tracking;

/// <summary>The rules of a status change, in one place for every store and for the client that checks before it sends.</summary>
internal static class ExperimentStatusChange
{
    /// <summary>Throws for a status that is not one of the four, or an end time given with <see cref="ExperimentStatus.Running"/>.</summary>
    public static void Check(ExperimentStatus status, DateTimeOffset? endedAt)
    {
        if (!Enum.IsDefined(status)) throw new ArgumentOutOfRangeException(nameof(status), status, "use Running, Finished, Failed or Killed");
        if (status == ExperimentStatus.Running && endedAt is not null)
            throw new ArgumentException("a running experiment has no end time: pass endedAt only with Finished, Failed or Killed", nameof(endedAt));
    }
}
