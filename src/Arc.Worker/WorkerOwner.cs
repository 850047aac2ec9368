using Arc.Remote;
namespace Arc.Worker;

/// <summary>
/// Who owns this worker, as the worker learns it at start: the token its callers must send, and, for a child of
/// <c>Target.LocalProcess</c>, when the owner is gone.
/// </summary>
/// <remarks>
/// Two ways, chosen by the environment (the token itself is never in it: other users may read a process's environment):
/// <list type="bullet">
/// <item><c>ARC_WORKER_OWNER=stdin</c>: the owning process holds this worker's stdin. The first line is the token; the end
/// of the stream means the owner has exited (the kernel closes its end at once, however it died), so the worker stops —
/// no pid polling, and a reused pid cannot keep an orphan alive.</item>
/// <item><c>ARC_WORKER_TOKEN_FILE=&lt;path&gt;</c>: the token is in a file only this user can read (a Kubernetes Secret
/// mounted as a file, or a 0600 file next to a container). Such a worker lives until it is stopped.</item>
/// </list>
/// </remarks>
internal sealed class WorkerOwner
{
    private WorkerOwner(string token, Task gone)
    {
        Token = token;
        Gone = gone;
    }

    /// <summary>The token every call must carry.</summary>
    public string Token { get; }

    /// <summary>Completes when the owning process is gone; never, for a worker that reads its token from a file.</summary>
    public Task Gone { get; }

    public static async Task<WorkerOwner> FromEnvironmentAsync(CancellationToken cancellationToken)
    {
        string? owner = Environment.GetEnvironmentVariable(WorkerEnvironment.Owner);
        string? tokenFile = Environment.GetEnvironmentVariable(WorkerEnvironment.TokenFile) is { Length: > 0 } f ? f : null;
        if (owner is { Length: > 0 } && owner != "stdin")
            throw new InvalidOperationException($"{WorkerEnvironment.Owner}='{owner}' is not understood: the only value is 'stdin'");
        if (owner == "stdin" && tokenFile is not null)
            throw new InvalidOperationException($"both {WorkerEnvironment.Owner}=stdin and {WorkerEnvironment.TokenFile} are set: the token comes from one place");
        if (tokenFile is not null)
            return new WorkerOwner(Arc.Remote.ArcWorkerToken.ReadFile(tokenFile), new TaskCompletionSource().Task);
        if (owner != "stdin")
            throw new InvalidOperationException(
                "this worker has no token: a worker never serves without one. Start it through Target.LocalProcess, or set " +
                $"{WorkerEnvironment.TokenFile} to a file (mode 0600) holding a token (docs/remote-protocol.md)");

        var stdin = Console.OpenStandardInput();
        var reader = new StreamReader(stdin);
        string token = await reader.ReadLineAsync(cancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(30), cancellationToken)
            ?? throw new InvalidOperationException("the owner closed stdin before sending the token");
        try
        {
            Arc.Remote.ArcWorkerToken.Validate(token);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"the token on stdin is not valid: {e.Message}", e);
        }
        return new WorkerOwner(token, WaitForEndAsync(reader));
    }

    // The owner writes nothing after the token; a read returns 0 only when its end of the pipe is closed.
    private static async Task WaitForEndAsync(StreamReader reader)
    {
        var buffer = new char[256];
        try
        {
            while (await reader.ReadAsync(buffer) > 0) { }
        }
        catch (IOException)
        {
            // A broken pipe says the same thing as the end of the stream.
        }
    }
}
