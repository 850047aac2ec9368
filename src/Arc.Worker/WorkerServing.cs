using Arc.Registration;
using Arc.Remote;

namespace Arc.Worker;

/// <summary>A running server in the worker: what it listens on, disposed to stop.</summary>
/// <param name="Port">The bound port on 127.0.0.1 (reported on the READY line).</param>
/// <param name="Server">Stops the server and frees what it serves.</param>
internal sealed record ServedThing(int Port, IAsyncDisposable Server);

/// <summary>
/// Chooses what this worker serves from its <c>ARC_WORKER_*</c> variables and starts it. Exactly one selector must be
/// set: <c>ARC_WORKER_MODEL</c> (a registered model, created from <c>ARC_WORKER_HYPERPARAMETERS</c>, base64 wire form)
/// or <c>ARC_WORKER_PODS=1</c> (every pod the assembly registers, as <c>arc.Pod</c>).
/// </summary>
internal static class WorkerServing
{
    public static async Task<ServedThing> StartAsync(string assemblyName, CancellationToken cancellationToken)
    {
        if (Environment.GetEnvironmentVariable("ARC_WORKER_MODEL") is { Length: > 0 } modelName)
            return await ServeModelAsync(assemblyName, modelName, cancellationToken);
        if (Environment.GetEnvironmentVariable("ARC_WORKER_PODS") == "1")
            return await ServePodsAsync(assemblyName, cancellationToken);
        throw new InvalidOperationException("nothing to serve: set ARC_WORKER_MODEL or ARC_WORKER_PODS=1");
    }

    // Every pod the user's assembly registered (its module initializer ran before this), under one arc.Pod service.
    private static async Task<ServedThing> ServePodsAsync(string assemblyName, CancellationToken cancellationToken)
    {
        var pods = ArcRegistry.Pods;
        if (pods.Count == 0)
            throw new InvalidOperationException($"ARC_WORKER_PODS=1, but {assemblyName} registers no [Pod] methods");
        var host = await ArcWorkerHost.StartPodsAsync(new PodRegistrationHandler(pods), cancellationToken: cancellationToken);
        return new ServedThing(host.Port, host);
    }

    private static async Task<ServedThing> ServeModelAsync(string assemblyName, string modelName, CancellationToken cancellationToken)
    {
        var registration = ArcRegistry.FindModel(modelName)
            ?? throw new InvalidOperationException(
                $"no model named '{modelName}' is registered in {assemblyName} " +
                $"(registered: {string.Join(", ", ArcRegistry.Models.Select(m => m.Name).DefaultIfEmpty("none"))})");
        var hyperparameters = OptionalBase64("ARC_WORKER_HYPERPARAMETERS") ?? registration.DefaultHyperparametersWire;
        var server = await registration.ServeAsync(options: null, hyperparameters, cancellationToken);
        return new ServedThing(server.Port, server);
    }

    /// <summary>A base64 variable's bytes, or null when it is unset or empty.</summary>
    internal static byte[]? OptionalBase64(string name)
        => Environment.GetEnvironmentVariable(name) is { Length: > 0 } b64 ? Convert.FromBase64String(b64) : null;
}
