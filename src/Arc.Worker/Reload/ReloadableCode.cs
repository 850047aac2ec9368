using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using Grpc.Core;
using Arc.Hosting;
using Arc.Remote;
using Arc.Sdk;

namespace Arc.Worker;

/// <summary>
/// What a develop worker serves — one model, one job, or every pod of an assembly — replaced by each reload. A
/// <see cref="DevelopCallGate"/> orders calls and reloads: calls run side by side, and a reload waits for the running
/// ones to finish and holds new ones back from quiescing the old code to publishing the new, so calls that arrive
/// during a reload wait and then run the new code.
/// </summary>
/// <remarks>
/// After a reload returns, the worker serves exactly the code that reload named, or nothing: the old code is disposed
/// and its load context unloaded before the new code is laid out, so a failed reload (a refused manifest, a bad
/// assembly, a missing registration, a constructor that throws) leaves a loud failed state, never stale code.
/// </remarks>
internal sealed class ReloadableCode(BlobStore store, string versionsDirectory, SharedFiles shared, Action<string> log) : IAsyncDisposable
{
    private readonly DevelopCallGate _gate = new();
    private readonly List<WeakReference> _unloading = [];
    private Loaded? _current;
    private DevelopStatus _status = new(0, DevelopStates.Empty, null, null, 0, []);
    private string _kind = DevelopKinds.Model; // what the last reload asked for, to name it in errors

    /// <summary>The loaded code: its context and what serves it (an <see cref="IRawModelHandler"/>, <see cref="IRawJobHandler"/> or <see cref="ArcPodService"/>).</summary>
    private sealed record Loaded(DevelopLoadContext Context, string Kind, object Served, IAsyncDisposable? Owned);

    /// <summary>The outcome of the last reload (read without waiting for a running one).</summary>
    public DevelopStatus Status => Volatile.Read(ref _status);

    /// <summary>Runs one <c>arc.Model</c> call on the current model, after any reload in progress.</summary>
    public async Task<byte[]> CallModelAsync(string method, byte[] request, CancellationToken cancellationToken)
    {
        using var call = await _gate.EnterCallAsync(cancellationToken);
        return await Current<IRawModelHandler>(DevelopKinds.Model).CallAsync(method, request, cancellationToken);
    }

    /// <summary>Runs one unary <c>arc.Job</c> call on the current job.</summary>
    public async Task<byte[]> CallJobAsync(string method, byte[] request, CancellationToken cancellationToken)
    {
        using var call = await _gate.EnterCallAsync(cancellationToken);
        return await Current<IRawJobHandler>(DevelopKinds.Job).CallAsync(method, request, cancellationToken);
    }

    /// <summary>Runs <c>arc.Job/Stream</c> on the current job; a reload waits for the stream to end.</summary>
    public async Task StreamJobAsync(byte[] request, Func<byte[], Task> write, CancellationToken cancellationToken)
    {
        using var call = await _gate.EnterCallAsync(cancellationToken);
        await Current<IRawJobHandler>(DevelopKinds.Job).StreamAsync(request, write, cancellationToken);
    }

    /// <summary>Runs one <c>arc.Pod</c> call on the current pods.</summary>
    public async Task<T> CallPodsAsync<T>(Func<ArcPodService, Task<T>> call, CancellationToken cancellationToken)
    {
        using var entered = await _gate.EnterCallAsync(cancellationToken);
        return await call(Current<ArcPodService>(DevelopKinds.Pods));
    }

    /// <summary>Serves the code <paramref name="request"/> names; see the remarks for what a failure leaves.</summary>
    /// <exception cref="RpcException">InvalidArgument for a refused manifest; Internal with Arc's error trailers when the code fails.</exception>
    public async Task<DevelopStatus> ReloadAsync(ReloadRequest request, CancellationToken cancellationToken)
    {
        await _gate.EnterReloadAsync(cancellationToken);
        try
        {
            // Past this point the reload runs to its end: half a reload would be the silent stale state it must avoid.
            return await ReloadHoldingGateAsync(request);
        }
        finally
        {
            _gate.ExitReload();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.EnterReloadAsync(CancellationToken.None);
        try { await UnloadCurrentAsync(); }
        finally { _gate.ExitReload(); }
    }

    /// <summary>The current code's server of <paramref name="kind"/>, or the call's failure: nothing loaded, a failed reload, or another kind served.</summary>
    private T Current<T>(string kind) where T : class
    {
        var current = _current ?? throw new RpcException(new Grpc.Core.Status(StatusCode.FailedPrecondition, StatusDetails.Clip(NothingServedMessage(Status, _kind))));
        return current.Served as T ?? throw new RpcException(new Grpc.Core.Status(StatusCode.FailedPrecondition, StatusDetails.Clip(
            $"the develop worker serves {Describe(current.Kind, Status.Model)}, not a {(kind == DevelopKinds.Pods ? "pod" : kind)}")));
    }

    private async Task<DevelopStatus> ReloadHoldingGateAsync(ReloadRequest request)
    {
        long version = Status.Version + 1;
        await UnloadCurrentAsync();
        _kind = DevelopKinds.IsKnown(request.Kind) ? request.Kind : DevelopKinds.Model;
        try
        {
            if (!DevelopKinds.IsKnown(request.Kind))
                throw new DevelopRequestException($"'{request.Kind}' is not a develop kind (model, job or pods)");
            string directory = Path.Combine(versionsDirectory, version.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var plan = BuildFolderLayout.Plan(directory, request.Files, store);
            if (!request.Files.ContainsKey(request.Assembly))
                throw new DevelopRequestException($"the assembly '{request.Assembly}' is not among the {request.Files.Count} files of the manifest");
            string mainAssembly = BuildFolderLayout.Resolve(directory, request.Assembly);
            BuildFolderLayout.Materialize(plan);

            var context = new DevelopLoadContext($"arc-develop-v{version}", directory, mainAssembly, shared);
            try
            {
                var assembly = context.LoadFromAssemblyPath(mainAssembly);
                // The module initializer is what registers the assembly's [Model], [Job] and [Pod] code (generated).
                RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
                _current = Serve(request, assembly, context);
            }
            catch
            {
                Forget(context);
                throw;
            }
            Publish(new DevelopStatus(version, DevelopStates.Serving, request.Model, null, 0, []));
            log($"version {version}: serving {Describe(request.Kind, request.Model)} from {request.Assembly} ({request.Files.Count} files)");
            return Status;
        }
        catch (Exception e)
        {
            var cause = Unwrap(e);
            string error = $"{cause.GetType().FullName}: {cause.Message}";
            Publish(new DevelopStatus(version, DevelopStates.Failed, request.Model, error, 0, []));
            log($"version {version}: reload failed, nothing is served until a reload succeeds: {error}{Environment.NewLine}{cause.StackTrace}");
            if (cause is DevelopRequestException)
                throw new RpcException(new Grpc.Core.Status(StatusCode.InvalidArgument, StatusDetails.Clip($"reload {version} refused: {cause.Message}")));
            throw RemoteErrorTrailers.ToRpcException(cause, includeStack: false); // the stack is in the worker's log above
        }
    }

    /// <summary>Creates what serves the requested kind, from registrations of this version's code only, never an older one's.</summary>
    private static Loaded Serve(ReloadRequest request, Assembly assembly, DevelopLoadContext context)
    {
        bool Ours(ArcRegistration r) => AssemblyLoadContext.GetLoadContext(r.Type.Assembly) == context;
        switch (request.Kind)
        {
            case DevelopKinds.Pods:
                var pods = ArcRegistry.Pods.Where(Ours).ToList();
                if (pods.Count == 0) throw new InvalidOperationException($"{assembly.GetName().Name} registers no [Pod] methods");
                return new Loaded(context, request.Kind, new ArcPodService(new PodRegistrationHandler(pods)), Owned: null);
            case DevelopKinds.Job:
                var jobRegistration = Find(request, assembly, ArcRegistry.Jobs.Where(Ours).ToList(), "job");
                var job = RawJobHandler.Create(jobRegistration, request.Hyperparameters ?? jobRegistration.DefaultParametersWire);
                return new Loaded(context, request.Kind, job, job);
            default:
                var modelRegistration = Find(request, assembly, ArcRegistry.Models.Where(Ours).ToList(), "model");
                var model = RawModelHandler.Create(modelRegistration, request.Hyperparameters ?? modelRegistration.DefaultParametersWire);
                return new Loaded(context, request.Kind, model, model);
        }
    }

    private static ClassRegistration Find(ReloadRequest request, Assembly assembly, List<ClassRegistration> ours, string word)
        => ours.FirstOrDefault(r => r.Name == request.Model)
            ?? throw new InvalidOperationException(
                $"no {word} named '{request.Model}' is registered by {assembly.GetName().Name} " +
                $"(it registers: {string.Join(", ", ours.Select(r => r.Name).DefaultIfEmpty("none"))})");

    private async Task UnloadCurrentAsync()
    {
        if (_current is not { } current) return;
        _current = null;
        try
        {
            if (current.Owned is not null) await current.Owned.DisposeAsync();
        }
        catch (Exception e)
        {
            // The old code's cleanup failing must not keep the new code out; say so and move on.
            log($"disposing {Describe(current.Kind, Status.Model)} failed: {e.GetType().Name}: {e.Message}");
        }
        Forget(current.Context);
    }

    /// <summary>Removes the context's registrations and starts unloading it (it is collected once nothing refers to it).</summary>
    private void Forget(DevelopLoadContext context)
    {
        foreach (var assembly in context.Assemblies) ArcRegistry.Unregister(assembly);
        context.Unload();
        lock (_unloading) _unloading.Add(new WeakReference(context));
    }

    /// <summary>
    /// How many unloaded versions are still in memory. Collects first (a few rounds: freeing a load context takes more
    /// than one), which is fine in develop mode and makes the answer mean "something still refers to old code".
    /// </summary>
    public int CountUnloading()
    {
        lock (_unloading)
        {
            for (int round = 0; round < 5 && _unloading.Exists(w => w.IsAlive); round++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
            _unloading.RemoveAll(w => !w.IsAlive);
            return _unloading.Count;
        }
    }

    private void Publish(DevelopStatus status) => Volatile.Write(ref _status, status);

    private static string Describe(string kind, string? name) => kind switch
    {
        DevelopKinds.Pods => $"the pods of '{name}'",
        _ => $"{kind} '{name}'",
    };

    private static string NothingServedMessage(DevelopStatus status, string kind) => status.State == DevelopStates.Failed
        ? $"the develop worker serves nothing: reload {status.Version} of {Describe(kind, status.Model)} failed: {status.Error}. Fix the code and reload."
        : "the develop worker has no code loaded yet: reload (arc.Develop/Reload) first";

    /// <summary>The user's exception behind reflection and type-initializer wrappers.</summary>
    private static Exception Unwrap(Exception e)
    {
        while (e is TargetInvocationException or TypeInitializationException && e.InnerException is { } inner) e = inner;
        return e;
    }
}
