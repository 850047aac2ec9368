namespace Arc.Tracking.Server;

/// <summary>
/// Wakes the watches of one server when a call of that server has committed a change. A watch takes
/// <see cref="Next"/> before it reads the events, so a change that commits after its read completes the task it waits on
/// and none is missed between the read and the wait. Changes made by other processes on a shared store have no signal
/// here: watches find those by polling (<see cref="TrackingServerOptions.WatchPollInterval"/>).
/// </summary>
internal sealed class EventSignal
{
    private TaskCompletionSource _next = NewSource();

    /// <summary>A task that completes at the next <see cref="Notify"/>.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    /// <summary>Completes the current <see cref="Next"/> and starts a new one.</summary>
    public void Notify() => Interlocked.Exchange(ref _next, NewSource()).TrySetResult();

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
