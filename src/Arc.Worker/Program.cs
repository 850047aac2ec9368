using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using Arc.Worker;
using Arc.Worker.Develop;

// The child process of Target.LocalProcess. Its stdout carries exactly one line, the READY line the parent waits for;
// everything else (errors included) goes to stderr, which the parent forwards to its log.
// Environment: ARC_WORKER_ASSEMBLY (the user's assembly), ARC_WORKER_PARENT_PID (exit when it is gone), and the
// variables that say what to serve (WorkerServing.cs); ARC_WORKER_BIND and ARC_WORKER_PORT say where it listens
// (WorkerListen.cs: 127.0.0.1 and a free port unless set, as in a Kubernetes pod).
try
{
    bool develop = DevelopWorker.IsRequested; // develop mode starts with no user code: reloads bring it (docs/develop-mode.md)
    string assemblyPath = develop ? "" : Required("ARC_WORKER_ASSEMBLY");
    int? parentPid = int.TryParse(Environment.GetEnvironmentVariable("ARC_WORKER_PARENT_PID"), out var pid) ? pid : null;

    if (!develop) LoadUserAssembly(assemblyPath);

    using var stop = new CancellationTokenSource();
    using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };

    var served = develop ? await DevelopWorker.StartAsync(stop.Token) : await WorkerServing.StartAsync(Path.GetFileName(assemblyPath), stop.Token);
    await using var server = served.Server;
    Console.Out.WriteLine($"ARC-WORKER-READY port={served.Port}");
    Console.Out.Flush();

    // Poll rather than wait on the parent's exit: a Process handle for a non-child cannot be waited on portably.
    while (!stop.IsCancellationRequested)
    {
        if (parentPid is int parent && !IsAlive(parent))
        {
            Console.Error.WriteLine($"parent process {parent} is gone; stopping");
            break;
        }
        try { await Task.Delay(250, stop.Token); } catch (OperationCanceledException) { }
    }
    return 0;
}
catch (Exception e)
{
    Console.Error.WriteLine($"arc worker failed: {e.GetType().Name}: {e.Message}");
    return 1;
}

static string Required(string name)
    => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException($"environment variable {name} is not set");

// Loads the user's assembly with its own dependency list, then runs its module initializer, which registers its
// [Model] classes (generated code): no reflection scanning.
static void LoadUserAssembly(string path)
{
    path = Path.GetFullPath(path);
    if (!File.Exists(path)) throw new FileNotFoundException($"the model assembly {path} does not exist", path);
    var resolver = new AssemblyDependencyResolver(path);
    AssemblyLoadContext.Default.Resolving += (context, name) =>
        resolver.ResolveAssemblyToPath(name) is { } found ? context.LoadFromAssemblyPath(found) : null;
    AssemblyLoadContext.Default.ResolvingUnmanagedDll += (_, name) =>
        resolver.ResolveUnmanagedDllToPath(name) is { } found ? NativeLibrary.Load(found) : IntPtr.Zero;
    Assembly assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(path);
    RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
}

static bool IsAlive(int pid)
{
    try
    {
        using var process = Process.GetProcessById(pid);
        return !process.HasExited;
    }
    catch (ArgumentException) { return false; }
    catch (InvalidOperationException) { return false; }
}
