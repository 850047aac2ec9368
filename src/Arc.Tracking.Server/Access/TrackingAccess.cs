namespace Arc.Tracking.Server;

/// <summary>What a <see cref="TrackingToken"/> may do in a namespace.</summary>
public enum TrackingAccess
{
    /// <summary>Read experiments, metric series, checkpoints and models of the namespace.</summary>
    Read = 1,

    /// <summary>Read, and create or change them (writing includes reading).</summary>
    Write = 2,
}
