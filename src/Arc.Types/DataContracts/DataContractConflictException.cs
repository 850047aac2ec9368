namespace Arc.Types;

/// <summary>
/// A model's contract does not fit the job it was given (<see cref="DataContract.Conflict"/>): thrown before any
/// training, by <c>Trainer</c>, <c>SupervisedJob.TrainAsync</c> and connecting to a saved model for a job.
/// </summary>
public sealed class DataContractConflictException : InvalidOperationException
{
    /// <summary>The model named <paramref name="model"/> with <paramref name="modelContract"/> does not fit <paramref name="job"/> (in words: <c>job 'digits'</c>) with <paramref name="jobContract"/>.</summary>
    public DataContractConflictException(string model, DataContract modelContract, string job, DataContract jobContract)
        : base($"model '{model}' does not fit {job}: {modelContract.Conflict(jobContract) ?? "its contract conflicts with the job's"}")
    {
        ModelContract = modelContract;
        JobContract = jobContract;
    }

    /// <summary>The model's contract.</summary>
    public DataContract ModelContract { get; }

    /// <summary>The job's contract.</summary>
    public DataContract JobContract { get; }

    /// <summary>Throws when <paramref name="modelContract"/> conflicts with <paramref name="jobContract"/>.</summary>
    public static void ThrowIfConflict(string model, DataContract modelContract, string job, DataContract jobContract)
    {
        ArgumentNullException.ThrowIfNull(modelContract);
        ArgumentNullException.ThrowIfNull(jobContract);
        if (modelContract.Conflict(jobContract) is not null)
            throw new DataContractConflictException(model, modelContract, job, jobContract);
    }
}
