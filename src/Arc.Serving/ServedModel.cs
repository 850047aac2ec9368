using Arc.Sdk;
using Arc.Types;

namespace Arc.Serving;

/// <summary>
/// The one model a server serves: its module, and once loaded, the model and its prediction queue. Readiness is
/// exactly "loaded": until <see cref="Loaded"/> the server answers 503 on predictions and readiness probes.
/// </summary>
internal sealed class ServedModel(IInferenceModule module, string version)
{
    private volatile PredictionQueue? _queue;
    private object? _model;

    public IInferenceModule Module { get; } = module;

    public string Name => Module.Name;

    public string Version { get; } = version;

    public bool IsReady => _queue is not null && !Draining;

    /// <summary>Set when stopping begins: readiness turns false (load balancers stop sending) while requests in flight finish.</summary>
    public bool Draining { get; set; }

    /// <summary>Why loading failed, if it did (readiness stays false and predictions say why).</summary>
    public Exception? LoadFailure { get; private set; }

    public Type? InputType => (Module as IBatchingInferenceModule)?.InputType;

    public Type? OutputType => (Module as IBatchingInferenceModule)?.OutputType;

    public DataContract Contract => (Module as IBatchingInferenceModule)?.Contract ?? DataContract.None;

    public void Loaded(object model, PredictionQueue queue)
    {
        _model = model;
        _queue = queue;
    }

    public void Failed(Exception failure) => LoadFailure = failure;

    /// <summary>The queue, or an exception that becomes 503.</summary>
    public PredictionQueue Queue => _queue
        ?? throw new ModelUnavailableException(LoadFailure is { } e ? $"model '{Name}' failed to load: {e.Message}" : $"model '{Name}' is still loading");

    /// <summary>Waits for queued predictions, then frees the model.</summary>
    public async Task StopAsync()
    {
        Draining = true;
        if (_queue is { } queue) await queue.DrainAsync().ConfigureAwait(false);
        (_model as IDisposable)?.Dispose();
    }
}

/// <summary>The model cannot answer now (loading, failed to load, stopping): HTTP 503.</summary>
internal sealed class ModelUnavailableException(string message) : Exception(message);
