using System.Globalization;
using Arc.Hosting;
using Arc.Remote;

namespace Arc.Worker;

/// <summary>
/// The flood limits a deployment may set on a worker process (docs/remote-protocol.md, Limits), each an
/// <see cref="ArcWorkerOptions"/> property: <c>ARC_WORKER_MAX_CONCURRENT_CALLS</c>, <c>ARC_WORKER_MAX_QUEUED_CALLS</c>,
/// <c>ARC_WORKER_MAX_RECEIVE_MESSAGE_BYTES</c> and <c>ARC_WORKER_CALL_RECEIVE_WINDOW_BYTES</c>. Unset means the default.
/// </summary>
/// <remarks>
/// These are what bound a worker's memory under a flood, and the right values depend on the pod's memory limit and the
/// model's request sizes, which only the deployment knows.
/// </remarks>
internal static class WorkerLimitVariables
{
    public static ArcWorkerOptions Apply(ArcWorkerOptions options)
    {
        if (Read(WorkerEnvironment.MaxConcurrentCalls, minimum: 1) is { } running) options = options with { MaxConcurrentCalls = running };
        if (Read(WorkerEnvironment.MaxQueuedCalls, minimum: 0) is { } queued) options = options with { MaxQueuedCalls = queued };
        if (Read(WorkerEnvironment.MaxReceiveMessageBytes, minimum: 1) is { } message) options = options with { MaxReceiveMessageBytes = message };
        if (Read(WorkerEnvironment.CallReceiveWindowBytes, minimum: ArcWorkerOptions.MinimumCallReceiveWindowBytes) is { } window)
            options = options with { CallReceiveWindowBytes = window };
        return options;
    }

    /// <summary>
    /// The whole number in variable <paramref name="name"/> (null when unset or empty); anything else than digits
    /// from <paramref name="minimum"/> to <paramref name="maximum"/> stops the worker with the variable named. The one
    /// reader of the worker's numeric variables (the limits here, the port in <see cref="WorkerListen"/>).
    /// </summary>
    public static int? Read(string name, int minimum, int maximum = int.MaxValue)
    {
        if (Environment.GetEnvironmentVariable(name) is not { Length: > 0 } text) return null;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < minimum || value > maximum)
            throw new InvalidOperationException($"{name}='{text}' is not a whole number from {minimum} to {maximum}");
        return value;
    }
}
