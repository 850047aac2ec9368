using Arc.Registration;

namespace Arc.Worker;

/// <summary>A running server in the worker: what it listens on, disposed to stop.</summary>
/// <param name="Port">The bound port (reported on the READY line); see <see cref="WorkerListen"/> for the address.</param>
/// <param name="Server">Stops the server and frees what it serves.</param>
internal sealed record ServedThing(int Port, IAsyncDisposable Server);

/// <summary>
/// Chooses what this worker serves from its <c>ARC_WORKER_*</c> variables and starts it. Exactly one selector must be
/// set: <c>ARC_WORKER_MODEL</c> (a registered model, created from <c>ARC_WORKER_HYPERPARAMETERS</c>, base64 wire form).
/// </summary>
internal static class WorkerServing
{
    public static async Task<ServedThing> StartAsync(string assemblyName, CancellationToken cancellationToken)
    {
        if (Environment.GetEnvironmentVariable("ARC_WORKER_MODEL") is { Length: > 0 } modelName)
            return await ServeModelAsync(assemblyName, modelName, cancellationToken);
        throw new InvalidOperationException("nothing to serve: set ARC_WORKER_MODEL");
    }

    private static async Task<ServedThing> ServeModelAsync(string assemblyName, string modelName, CancellationToken cancellationToken)
    {
        var registration = ArcRegistry.FindModel(modelName)
            ?? throw new InvalidOperationException(
                $"no model named '{modelName}' is registered in {assemblyName} " +
                $"(registered: {string.Join(", ", ArcRegistry.Models.Select(m => m.Name).DefaultIfEmpty("none"))})");
        var hyperparameters = OptionalBase64("ARC_WORKER_HYPERPARAMETERS") ?? registration.DefaultHyperparametersWire;
        var server = await registration.ServeAsync(WorkerListen.FromEnvironment(), hyperparameters, cancellationToken);
        return new ServedThing(server.Port, server);
    }

    /// <summary>A base64 variable's bytes, or null when it is unset or empty.</summary>
    internal static byte[]? OptionalBase64(string name)
        => Environment.GetEnvironmentVariable(name) is { Length: > 0 } b64 ? Convert.FromBase64String(b64) : null;
}
