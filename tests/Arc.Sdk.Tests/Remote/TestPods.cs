using Arc.Sdk;
namespace Arc.Sdk.Tests.Remote;

/// <summary>[Pod] methods for the pod transport tests; the generator registers them and writes their remote forms.</summary>
public static partial class TestPods
{
    /// <summary>Each value times <paramref name="factor"/>, after a yield so the call is truly asynchronous.</summary>
    [Pod(Name = "test.scale")]
    public static async Task<double[]> ScaleAsync(double[] values, CancellationToken cancellationToken, double factor = 2)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        return Array.ConvertAll(values, v => v * factor);
    }

    /// <summary>The id of the process the pod runs in.</summary>
    [Pod(Name = "test.where")]
    public static int ProcessId() => Environment.ProcessId;

    /// <summary>
    /// The <c>HOSTNAME</c> the pod's process sees: in a Kubernetes pod (and under the fake kubelet) the pod's name, so
    /// a test can tell which pod a call ran in.
    /// </summary>
    [Pod(Name = "test.hostname")]
    public static string HostName() => Environment.GetEnvironmentVariable("HOSTNAME") ?? "";

    /// <summary>Throws an exception carrying <paramref name="message"/>.</summary>
    [Pod(Name = "test.fail")]
    public static int Fail(string message) => throw new InvalidOperationException(message);

    /// <summary>Set when <see cref="WaitForCancellationAsync"/> starts waiting.</summary>
    internal static TaskCompletionSource WaitStarted { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Set when <see cref="WaitForCancellationAsync"/> sees its token fire.</summary>
    internal static TaskCompletionSource WaitCancelled { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Waits until the caller cancels, recording that it started and that it saw the cancellation.</summary>
    [Pod(Name = "test.wait")]
    public static async Task WaitForCancellationAsync(CancellationToken cancellationToken)
    {
        WaitStarted.TrySetResult();
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        finally
        {
            if (cancellationToken.IsCancellationRequested) WaitCancelled.TrySetResult();
        }
    }

    /// <summary>Ends its process at once with <paramref name="code"/>: call it only in a worker process.</summary>
    [Pod(Name = "test.exit")]
    public static void Exit(int code)
    {
        if (Environment.GetEnvironmentVariable("ARC_WORKER") != "1")
            throw new InvalidOperationException("test.exit only ends worker processes");
        Environment.Exit(code);
    }
}
