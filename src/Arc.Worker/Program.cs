using System.Runtime.InteropServices;
using Arc.Remote;
using Arc.Worker;

// The worker program: the child process of Target.LocalProcess, and the entry point of worker images. Its stdout carries
// exactly one line, the READY line the parent waits for (a standby worker writes ARC-WORKER-STANDBY before it); everything else (errors included) goes to stderr, which the
// parent forwards to its log. An exception that stops it is written there in full, then as one summary line
// (WorkerFailure.cs).
// Environment (names in Arc.Remote's WorkerEnvironment): ARC_WORKER_ASSEMBLY (the user's assembly; a standby worker,
// ARC_WORKER_STANDBY=1, gets it and what to serve on the owner's pipe after warming up: StandbyWorker.cs), where the token
// comes from (WorkerOwner.cs: the owner's pipe on stdin, or a token file), the variables that say what to serve
// (WorkerServing.cs), and where and how it listens (WorkerListen.cs: 127.0.0.1 and a free port unless set, TLS files,
// as in a Kubernetes pod).
try
{
    var startup = WorkerStartupTimes.FromEnvironment();
    // Before any model allocates and before more threads make heaps of their own (Arc.Torch's NativeHeapTuning.cs).
    if (Arc.Torch.NativeHeapTuning.Apply() is var heap && heap.StartsWith(Arc.Torch.NativeHeapTuning.RefusedPrefix, StringComparison.Ordinal))
        Console.Error.WriteLine($"arc worker: {heap}; tensor memory may be mapped afresh every step");
    bool develop = DevelopWorker.IsRequested; // develop mode starts with no user code: reloads bring it (docs/develop-mode.md)
    bool standby = StandbyWorker.IsRequested; // a standby worker learns what to serve after it has warmed up
    if (develop && standby)
        throw new InvalidOperationException($"{WorkerEnvironment.Develop}=1 and {WorkerEnvironment.Standby}=1 are both set: a standby worker serves a registered model, job or pods");

    using var stop = new CancellationTokenSource();
    using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };

    // The token first: a worker that cannot authenticate its callers must not even load user code.
    var owner = await WorkerOwner.FromEnvironmentAsync(stop.Token, moreLinesFollow: standby);
    startup?.Mark("token");
    // Where and how to listen comes from the start's environment (an assignment only says what to serve), so a
    // standby worker reads it before its warm-up, not after its assignment.
    var listen = WorkerListen.FromEnvironment(owner.Token);
    if (standby)
    {
        await StandbyWorker.WarmUpAsync(owner.Token, stop.Token);
        startup?.Mark("warm");
        Console.Out.WriteLine(StandbyWorker.WarmLine);
        Console.Out.Flush();
        if (!await StandbyWorker.TakeAssignmentAsync(owner, stop.Token))
        {
            Console.Error.WriteLine("the owning process closed its pipe before giving this standby worker anything to serve; stopping");
            return 0;
        }
        owner.WatchForEnd();
        startup?.Mark("assignment");
    }
    string assemblyPath = develop ? "" : Required(WorkerEnvironment.Assembly);
    if (!develop) LoadUserAssembly(assemblyPath);
    startup?.Mark("assembly");

    var served = develop ? await DevelopWorker.StartAsync(listen, stop.Token)
        : await WorkerServing.StartAsync(Path.GetFileName(assemblyPath), listen, stop.Token, () => startup?.Mark("model"));
    await using var server = served.Server;
    startup?.Mark("listening");
    startup?.Report(Console.Error);
    Console.Out.WriteLine($"ARC-WORKER-READY port={served.Port}");
    Console.Out.Flush();

    var stopped = Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
    if (await Task.WhenAny(owner.Gone, stopped) == owner.Gone)
        Console.Error.WriteLine("the owning process is gone (its pipe closed); stopping");
    return 0;
}
catch (Exception e)
{
    WorkerFailure.Report(Console.Error, e);
    return 1;
}

static string Required(string name)
    => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException($"environment variable {name} is not set");

// Loads the user's assembly with its own dependency list, then runs its module initializer, which registers its
// [Model] classes (generated code): no reflection scanning. One implementation for the worker, `arc train` and archives.
static void LoadUserAssembly(string path) => Arc.Sdk.UserAssemblies.Load(path);
