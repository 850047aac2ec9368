namespace Arc.Remote;

/// <summary>
/// The names of the environment variables that tell the <c>Arc.Worker</c> program what to serve and how: the contract
/// between whoever starts a worker (<c>Target.LocalProcess</c>, develop mode, worker images, the Kubernetes manifests)
/// and the worker itself. Every place that sets or reads one uses these names; docs/remote-protocol.md lists them.
/// </summary>
public static class WorkerEnvironment
{
    /// <summary><c>1</c> in every worker's environment: user code can tell it runs in a worker.</summary>
    public const string Marker = "ARC_WORKER";

    /// <summary>The path of the user's assembly, whose module initializer registers what the worker can serve.</summary>
    public const string Assembly = "ARC_WORKER_ASSEMBLY";

    /// <summary>The registered name of the model to serve.</summary>
    public const string Model = "ARC_WORKER_MODEL";

    /// <summary>The model's hyperparameters in their wire form, base64; the registration's defaults when unset.</summary>
    public const string Hyperparameters = "ARC_WORKER_HYPERPARAMETERS";

    /// <summary>The registered name of the job to serve.</summary>
    public const string Job = "ARC_WORKER_JOB";

    /// <summary>The job's parameters in their wire form, base64; the registration's defaults when unset.</summary>
    public const string Parameters = "ARC_WORKER_PARAMETERS";

    /// <summary><c>1</c>: serve every pod the assembly registers.</summary>
    public const string Pods = "ARC_WORKER_PODS";

    /// <summary>
    /// <c>1</c>: a standby worker (<c>LocalProcessOptions.StandbyWorkers</c>): it starts with nothing to serve, warms up,
    /// then takes its assembly and what to serve as one line on the owner's pipe (needs <see cref="Owner"/> <c>stdin</c>).
    /// </summary>
    public const string Standby = "ARC_WORKER_STANDBY";

    /// <summary><c>1</c>: start in develop mode, with no user code until a reload brings it (docs/develop-mode.md).</summary>
    public const string Develop = "ARC_WORKER_DEVELOP";

    /// <summary>The develop-mode blob store's byte quota (default 2 GiB).</summary>
    public const string DevelopQuotaBytes = "ARC_WORKER_DEVELOP_QUOTA_BYTES";

    /// <summary>
    /// <c>stdin</c>: the token is the first line of the worker's stdin, and the pipe's end means the owner is gone.
    /// The only other source of the token is <see cref="TokenFile"/>.
    /// </summary>
    public const string Owner = "ARC_WORKER_OWNER";

    /// <summary>A file (readable by its owner only) that holds the worker's token: images and Kubernetes.</summary>
    public const string TokenFile = "ARC_WORKER_TOKEN_FILE";

    /// <summary>The IP address to listen on (default <c>127.0.0.1</c>).</summary>
    public const string Bind = "ARC_WORKER_BIND";

    /// <summary>The port to listen on (default 0: a free port, printed on the READY line).</summary>
    public const string Port = "ARC_WORKER_PORT";

    /// <summary>The PEM certificate to serve TLS with (together with <see cref="TlsKey"/>).</summary>
    public const string TlsCertificate = "ARC_WORKER_TLS_CERTIFICATE";

    /// <summary>The PEM private key of <see cref="TlsCertificate"/>.</summary>
    public const string TlsKey = "ARC_WORKER_TLS_KEY";

    /// <summary><c>1</c>: model exceptions' stacks cross the wire (otherwise they stay in the worker's log).</summary>
    public const string DetailedErrors = "ARC_WORKER_DETAILED_ERRORS";

    /// <summary>The most calls the worker runs at once (<c>ArcWorkerOptions.MaxConcurrentCalls</c>; unset: the default).</summary>
    public const string MaxConcurrentCalls = "ARC_WORKER_MAX_CONCURRENT_CALLS";

    /// <summary>The most calls that wait for a turn (<c>ArcWorkerOptions.MaxQueuedCalls</c>).</summary>
    public const string MaxQueuedCalls = "ARC_WORKER_MAX_QUEUED_CALLS";

    /// <summary>The largest request the worker reads, in bytes (<c>ArcWorkerOptions.MaxReceiveMessageBytes</c>).</summary>
    public const string MaxReceiveMessageBytes = "ARC_WORKER_MAX_RECEIVE_MESSAGE_BYTES";

    /// <summary>
    /// <c>1</c>: the worker writes one <c>ARC-WORKER-STARTUP</c> line to stderr with the monotonic clock's reading
    /// (<c>Stopwatch.GetTimestamp</c>, shared by every process on the machine) at each step of its start, so that a
    /// caller can break a cold start down (bench <c>worker</c>).
    /// </summary>
    public const string StartupTimes = "ARC_WORKER_STARTUP_TIMES";

    /// <summary>The HTTP/2 window of one call, in bytes (<c>ArcWorkerOptions.CallReceiveWindowBytes</c>).</summary>
    public const string CallReceiveWindowBytes = "ARC_WORKER_CALL_RECEIVE_WINDOW_BYTES";
}
