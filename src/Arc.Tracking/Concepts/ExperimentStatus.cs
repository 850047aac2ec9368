namespace Arc.Tracking;

/// <summary>Where an experiment is in its life. Every status but <see cref="Running"/> is an end and records an end time.</summary>
public enum ExperimentStatus
{
    /// <summary>Training is going on (the status an experiment is created with).</summary>
    Running = 1,

    /// <summary>Training ended normally.</summary>
    Finished = 2,

    /// <summary>Training ended with an error.</summary>
    Failed = 3,

    /// <summary>Training was stopped from outside (cancelled, killed).</summary>
    Killed = 4,
}
