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
    private readonly StreamReader? _pipe;

    private WorkerOwner(string token, StreamReader? pipe)
    {
        Token = token;
        _pipe = pipe;
        Gone = new TaskCompletionSource().Task;
    }

    /// <summary>The token every call must carry.</summary>
    public string Token { get; }

    /// <summary>
    /// Completes when the owning process is gone (once <see cref="WatchForEnd"/> has started watching); never, for a
    /// worker that reads its token from a file.
    /// </summary>
    public Task Gone { get; private set; }

    /// <summary>Starts watching the owner's pipe for its end: after this, nothing more is read from it.</summary>
    public void WatchForEnd()
    {
        if (_pipe is not null) Gone = WaitForEndAsync(_pipe);
    }

    /// <summary>
    /// A standby worker's next line from the owner's pipe (its assignment, <see cref="Arc.Sdk.WorkerAssignment"/>);
    /// null when the owner closed the pipe first.
    /// </summary>
    public async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        if (_pipe is null) throw new InvalidOperationException($"a standby worker needs {WorkerEnvironment.Owner}=stdin: its work comes on the owner's pipe");
        try
        {
            return await _pipe.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            return null; // a broken pipe: the owner is gone
        }
    }

    /// <summary>
    /// Reads the token from where the environment says. A worker that reads it from stdin watches the pipe for its end
    /// at once, unless <paramref name="moreLinesFollow"/> (a standby worker reads its assignment first, then calls
    /// <see cref="WatchForEnd"/>).
    /// </summary>
    public static async Task<WorkerOwner> FromEnvironmentAsync(CancellationToken cancellationToken, bool moreLinesFollow = false)
    {
        string? owner = Environment.GetEnvironmentVariable(WorkerEnvironment.Owner);
        string? tokenFile = Environment.GetEnvironmentVariable(WorkerEnvironment.TokenFile) is { Length: > 0 } f ? f : null;
        if (owner is { Length: > 0 } && owner != "stdin")
            throw new InvalidOperationException($"{WorkerEnvironment.Owner}='{owner}' is not understood: the only value is 'stdin'");
        if (owner == "stdin" && tokenFile is not null)
            throw new InvalidOperationException($"both {WorkerEnvironment.Owner}=stdin and {WorkerEnvironment.TokenFile} are set: the token comes from one place");
        if (tokenFile is not null)
            return new WorkerOwner(Arc.Remote.ArcWorkerToken.ReadFile(tokenFile), pipe: null);
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
        var result = new WorkerOwner(token, reader);
        if (!moreLinesFollow) result.WatchForEnd();
        return result;
    }

    // The owner writes nothing more (after the token, or a standby's assignment); a read returns 0 only when its end of
    // the pipe is closed.
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
