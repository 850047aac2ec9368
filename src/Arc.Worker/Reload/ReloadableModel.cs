using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using Grpc.Core;
using Arc.Remote;
using Arc.Sdk;

namespace Arc.Worker;

/// <summary>
/// The model a develop worker serves, replaced by each reload. One gate orders everything: an <c>arc.Model</c> call
/// holds it while it runs (the model runs one call at a time anyway), and a reload holds it from quiescing the old
/// model to publishing the new one, so calls that arrive during a reload wait and then run the new code.
/// </summary>
/// <remarks>
/// After a reload returns, the worker serves exactly the code that reload named, or nothing: the old model is
/// disposed and its load context unloaded before the new code is laid out, so a failed reload (a refused manifest, a
/// bad assembly, a missing model, a constructor that throws) leaves a loud failed state, never a stale model.
/// </remarks>
internal sealed class ReloadableModel(BlobStore store, string versionsDirectory, SharedFiles shared, Action<string> log) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<WeakReference> _unloading = [];
    private Loaded? _current;
    private DevelopStatus _status = new(0, DevelopStates.Empty, null, null, 0, []);

    private sealed record Loaded(DevelopLoadContext Context, IRawModelHandler Handler);

    /// <summary>The outcome of the last reload (read without waiting for a running one).</summary>
    public DevelopStatus Status => Volatile.Read(ref _status);

    /// <summary>Runs one <c>arc.Model</c> call on the current model, after any reload in progress.</summary>
    public async Task<byte[]> CallAsync(string method, byte[] request, CancellationToken cancellationToken)
    {
        await EnterAsync(cancellationToken);
        try
        {
            var current = _current ?? throw new RpcException(new Grpc.Core.Status(StatusCode.FailedPrecondition, StatusDetails.Clip(NoModelMessage(Status))));
            return await current.Handler.CallAsync(method, request, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Serves the code <paramref name="request"/> names; see the remarks for what a failure leaves.</summary>
    /// <exception cref="RpcException">InvalidArgument for a refused manifest; Internal with Arc's error trailers when the code fails.</exception>
    public async Task<DevelopStatus> ReloadAsync(ReloadRequest request, CancellationToken cancellationToken)
    {
        await EnterAsync(cancellationToken);
        try
        {
            // Past this point the reload runs to its end: half a reload would be the silent stale state it must avoid.
            return await ReloadHoldingGateAsync(request);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try { await UnloadCurrentAsync(); }
        finally { _gate.Release(); }
    }

    private async Task<DevelopStatus> ReloadHoldingGateAsync(ReloadRequest request)
    {
        long version = Status.Version + 1;
        await UnloadCurrentAsync();
        try
        {
            string directory = Path.Combine(versionsDirectory, version.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var plan = BuildFolderLayout.Plan(directory, request.Files, store);
            if (!request.Files.ContainsKey(request.Assembly))
                throw new DevelopRequestException($"the model assembly '{request.Assembly}' is not among the {request.Files.Count} files of the manifest");
            string mainAssembly = BuildFolderLayout.Resolve(directory, request.Assembly);
            BuildFolderLayout.Materialize(plan);

            var context = new DevelopLoadContext($"arc-develop-v{version}", directory, mainAssembly, shared);
            try
            {
                var assembly = context.LoadFromAssemblyPath(mainAssembly);
                // The module initializer is what registers the assembly's [Model] classes (generated code).
                RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
                var registration = FindModel(request, assembly, context);
                var handler = RawModelHandler.Create(registration, request.Hyperparameters ?? registration.DefaultParametersWire);
                _current = new Loaded(context, handler);
            }
            catch
            {
                Forget(context);
                throw;
            }
            Publish(new DevelopStatus(version, DevelopStates.Serving, request.Model, null, 0, []));
            log($"version {version}: serving model '{request.Model}' from {request.Assembly} ({request.Files.Count} files)");
            return Status;
        }
        catch (Exception e)
        {
            var cause = Unwrap(e);
            string error = $"{cause.GetType().FullName}: {cause.Message}";
            Publish(new DevelopStatus(version, DevelopStates.Failed, request.Model, error, 0, []));
            log($"version {version}: reload failed, no model is served until a reload succeeds: {error}{Environment.NewLine}{cause.StackTrace}");
            if (cause is DevelopRequestException)
                throw new RpcException(new Grpc.Core.Status(StatusCode.InvalidArgument, StatusDetails.Clip($"reload {version} refused: {cause.Message}")));
            throw RemoteErrorTrailers.ToRpcException(cause, includeStack: false); // the stack is in the worker's log above
        }
    }

    /// <summary>The registration of the requested model, which must come from this version's code, not from an older one.</summary>
    private static ClassRegistration FindModel(ReloadRequest request, Assembly assembly, AssemblyLoadContext context)
    {
        var ours = ArcRegistry.Models.Where(m => AssemblyLoadContext.GetLoadContext(m.Type.Assembly) == context).ToList();
        return ours.FirstOrDefault(m => m.Name == request.Model)
            ?? throw new InvalidOperationException(
                $"no model named '{request.Model}' is registered by {assembly.GetName().Name} " +
                $"(it registers: {string.Join(", ", ours.Select(m => m.Name).DefaultIfEmpty("none"))})");
    }

    private async Task UnloadCurrentAsync()
    {
        if (_current is not { } current) return;
        _current = null;
        try
        {
            await current.Handler.DisposeAsync();
        }
        catch (Exception e)
        {
            // The old model's cleanup failing must not keep the new code out; say so and move on.
            log($"disposing model '{current.Handler.Name}' failed: {e.GetType().Name}: {e.Message}");
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

    private async Task EnterAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _gate.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Grpc.Core.Status(StatusCode.Cancelled, "the call was cancelled while a reload ran"));
        }
    }

    private static string NoModelMessage(DevelopStatus status) => status.State == DevelopStates.Failed
        ? $"the develop worker serves no model: reload {status.Version} of model '{status.Model}' failed: {status.Error}. Fix the code and reload."
        : "the develop worker has no code loaded yet: reload (arc.Develop/Reload) first";

    /// <summary>The user's exception behind reflection and type-initializer wrappers.</summary>
    private static Exception Unwrap(Exception e)
    {
        while (e is TargetInvocationException or TypeInitializationException && e.InnerException is { } inner) e = inner;
        return e;
    }
}
