using Arc.Hosting;
using Arc.Remote;
using Arc.Sdk;

namespace Arc.Worker;

/// <summary>A running server in the worker: what it listens on, disposed to stop.</summary>
/// <param name="Port">The bound port (reported on the READY line); see <see cref="WorkerListen"/> for the address.</param>
/// <param name="Server">Stops the server and frees what it serves.</param>
internal sealed record ServedThing(int Port, IAsyncDisposable Server);

/// <summary>
/// Chooses what this worker serves from its <c>ARC_WORKER_*</c> variables and starts it. Exactly one selector must be
/// set: <c>ARC_WORKER_MODEL</c> (a registered model, created from <c>ARC_WORKER_HYPERPARAMETERS</c>, base64 wire form),
/// <c>ARC_WORKER_JOB</c> (a registered job, created from <c>ARC_WORKER_PARAMETERS</c>, base64 wire form) or
/// <c>ARC_WORKER_PODS=1</c> (every pod the assembly registers, as <c>arc.Pod</c>).
/// </summary>
internal static class WorkerServing
{
    /// <param name="assemblyName">The user's assembly, for errors.</param>
    /// <param name="listen">Where and how to listen.</param>
    /// <param name="cancellationToken">Stops the start.</param>
    /// <param name="created">Called once the model, job or pods are created, before the server starts (startup times).</param>
    public static async Task<ServedThing> StartAsync(string assemblyName, ArcWorkerOptions listen, CancellationToken cancellationToken, Action? created = null)
    {
        string? modelName = Environment.GetEnvironmentVariable(WorkerEnvironment.Model) is { Length: > 0 } m ? m : null;
        string? jobName = Environment.GetEnvironmentVariable(WorkerEnvironment.Job) is { Length: > 0 } j ? j : null;
        bool pods = Environment.GetEnvironmentVariable(WorkerEnvironment.Pods) == "1";
        int selected = (modelName is null ? 0 : 1) + (jobName is null ? 0 : 1) + (pods ? 1 : 0);
        if (selected > 1)
            throw new InvalidOperationException(
                $"more than one of {WorkerEnvironment.Model} ('{modelName}'), {WorkerEnvironment.Job} ('{jobName}') and {WorkerEnvironment.Pods} ({(pods ? "1" : "unset")}) is set: a worker serves one thing");
        var service = modelName is not null ? Registered(ArcKind.Model, modelName, assemblyName)
            : jobName is not null ? Registered(ArcKind.Job, jobName, assemblyName)
            : pods ? Pods(assemblyName)
            : throw new InvalidOperationException($"nothing to serve: set {WorkerEnvironment.Model}, {WorkerEnvironment.Job} or {WorkerEnvironment.Pods}=1");
        created?.Invoke();
        // One path for every kind: the host serves what the registration made, and frees it when it stops.
        var host = await ArcWorkerHost.StartAsync(service, listen, cancellationToken);
        return new ServedThing(host.Port, host);
    }

    /// <summary>A registered model or job, created from its (hyper)parameters' variable, or from its defaults.</summary>
    private static WorkerService Registered(ArcKind kind, string name, string assemblyName)
    {
        var registration = (kind == ArcKind.Model ? ArcRegistry.FindModel(name) : ArcRegistry.FindJob(name))
            ?? throw new InvalidOperationException(
                $"no {kind.Word()} named '{name}' is registered in {assemblyName} " +
                $"(registered: {string.Join(", ", (kind == ArcKind.Model ? ArcRegistry.Models : ArcRegistry.Jobs).Select(r => r.Name).DefaultIfEmpty("none"))})");
        var parameters = OptionalBase64(WorkerLaunch.Selector(kind).Parameters) ?? registration.DefaultParametersWire;
        return registration.CreateService(parameters);
    }

    // Every pod the user's assembly registered (its module initializer ran before this), under one arc.Pod service.
    private static WorkerService Pods(string assemblyName)
    {
        var pods = ArcRegistry.Pods;
        if (pods.Count == 0)
            throw new InvalidOperationException($"{WorkerEnvironment.Pods}=1, but {assemblyName} registers no [Pod] methods");
        return WorkerServices.Pods(pods);
    }

    /// <summary>A base64 variable's bytes, or null when it is unset or empty.</summary>
    internal static byte[]? OptionalBase64(string name)
        => Environment.GetEnvironmentVariable(name) is { Length: > 0 } b64 ? Convert.FromBase64String(b64) : null;
}
