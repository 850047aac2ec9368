namespace Arc.Types;

/// <summary>The phases of one training step that <c>--profile</c> measures.</summary>
public enum StepPhase
{
    /// <summary>Waiting for the next batch from the job (reading, shuffling, collating).</summary>
    WaitForData,
    /// <summary>Turning the batch into tensors on the model's device.</summary>
    CopyToDevice,
    /// <summary>Forward, loss, backward and the optimizer step (on a GPU: launching them; they finish during <see cref="ReadLoss"/>).</summary>
    Compute,
    /// <summary>Reading the loss back to the host, which waits for the device to finish the step.</summary>
    ReadLoss,
}

/// <summary>Receives the time a phase of a step took, as <see cref="System.Diagnostics.Stopwatch"/> timestamps.</summary>
public interface IStepPhaseRecorder
{
    /// <summary>Phase <paramref name="phase"/> ran from <paramref name="start"/> to <paramref name="end"/> (Stopwatch timestamps).</summary>
    void Record(StepPhase phase, long start, long end);
}

/// <summary>A model that can report the phases of its training steps (<see cref="StepPhase"/>).</summary>
public interface IStepPhaseSource
{
    /// <summary>Where phases go; null (the default) measures nothing and costs nothing but a null check per step.</summary>
    IStepPhaseRecorder? PhaseRecorder { get; set; }
}
