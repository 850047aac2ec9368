using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace Arc.Tracking;

/// <summary>
/// A typed client of a tracking server (<c>arc.tracking.v1.TrackingService</c>, protos/arc/tracking/v1/tracking.proto):
/// experiments, metric series, checkpoints and registered models with the same records, rules and errors as <see cref="IMetadataStore"/>. A store's
/// refusal comes back as the same <see cref="TrackingException"/> (<see cref="TrackingNotFoundException"/>,
/// <see cref="TrackingAlreadyExistsException"/>, <see cref="TrackingInvalidArgumentException"/>, the last also for an
/// argument the server found malformed); a transport failure stays an <see cref="RpcException"/>.
/// </summary>
/// <remarks>One client holds one HTTP/2 connection and may be used by many callers at once. Dispose it to close the connection.</remarks>
public sealed class TrackingServerClient : IDisposable
{
    /// <summary>The largest message either side sends or accepts (a full batch of 100,000 points with long keys fits).</summary>
    public const int MaxMessageBytes = 64 * 1024 * 1024;

    private readonly GrpcChannel _channel;
    private readonly TrackingService.TrackingServiceClient _client;

    /// <summary>A client of the server at <paramref name="address"/> (<c>http://127.0.0.1:port</c>) that sends no token.</summary>
    public TrackingServerClient(Uri address)
        : this(address, token: null)
    {
    }

    /// <summary>
    /// A client of the server at <paramref name="address"/> that sends <paramref name="token"/> as
    /// <c>authorization: Bearer &lt;token&gt;</c> with every call (null: none). A token is sent in clear text only to a
    /// loopback address; to any other host it needs <c>https://</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The address is not http(s), or a token would go to another host over plain http.</exception>
    public TrackingServerClient(Uri address, string? token)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!address.IsAbsoluteUri || address.Scheme is not ("http" or "https"))
            throw new ArgumentException($"tracking server address '{address}' is not an absolute http:// or https:// address", nameof(address));
        if (token is not null && (token.Length == 0 || token.Any(c => c is <= ' ' or > '~')))
            throw new ArgumentException("the token must be printable ASCII characters without spaces", nameof(token));
        if (token is not null && address.Scheme == "http" && !address.IsLoopback)
            throw new ArgumentException(
                $"a token would cross the network in clear text to {address.Host}: use https:// (the server needs a TLS certificate off loopback)", nameof(token));
        Address = address;
        _channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            MaxReceiveMessageSize = MaxMessageBytes,
            MaxSendMessageSize = MaxMessageBytes,
        });
        var invoker = token is null
            ? _channel.CreateCallInvoker()
            : _channel.Intercept(metadata =>
            {
                metadata.Add("authorization", "Bearer " + token);
                return metadata;
            });
        _client = new TrackingService.TrackingServiceClient(invoker);
    }

    /// <summary>The server's address.</summary>
    public Uri Address { get; }

    /// <summary>Every namespace, by name.</summary>
    public async Task<IReadOnlyList<TrackingNamespace>> ListNamespacesAsync(CancellationToken cancellationToken = default)
    {
        var reply = await CallAsync(_client.ListNamespacesAsync(new ListNamespacesRequest(), cancellationToken: cancellationToken)).ConfigureAwait(false);
        return reply.Namespaces.Select(n => new TrackingNamespace(n.Name, WireTime.FromMicros(n.CreatedAtUnixMicros, "created_at_unix_micros"))).ToArray();
    }

    /// <summary>Creates an experiment with status <see cref="ExperimentStatus.Running"/> (and its namespace if new).</summary>
    /// <exception cref="TrackingAlreadyExistsException">The namespace has an experiment of that name.</exception>
    public async Task<Experiment> CreateExperimentAsync(ExperimentDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var reply = await CallAsync(_client.CreateExperimentAsync(ExperimentWire.ToRequest(draft), cancellationToken: cancellationToken)).ConfigureAwait(false);
        return ExperimentWire.ToExperiment(reply);
    }

    /// <summary>The experiment <paramref name="experimentId"/>.</summary>
    /// <exception cref="TrackingNotFoundException">No experiment has that id.</exception>
    public async Task<Experiment> GetExperimentAsync(string experimentId, CancellationToken cancellationToken = default)
    {
        var request = new GetExperimentRequest { Id = TrackingNames.Id(experimentId, nameof(experimentId), "experiment id") };
        return ExperimentWire.ToExperiment(await CallAsync(_client.GetExperimentAsync(request, cancellationToken: cancellationToken)).ConfigureAwait(false));
    }

    /// <summary>The experiment named <paramref name="name"/> in <paramref name="namespace"/>, or null.</summary>
    public async Task<Experiment?> FindExperimentAsync(string @namespace, string name, CancellationToken cancellationToken = default)
    {
        var request = new FindExperimentRequest
        {
            Namespace = TrackingNames.Namespace(@namespace, nameof(@namespace)),
            Name = TrackingNames.Name(name, nameof(name), "experiment name"),
        };
        var reply = await CallAsync(_client.FindExperimentAsync(request, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return reply.Experiment is null ? null : ExperimentWire.ToExperiment(reply.Experiment);
    }

    /// <summary>The experiments of <paramref name="namespace"/> (of all namespaces when null), oldest first.</summary>
    public async Task<IReadOnlyList<Experiment>> ListExperimentsAsync(string? @namespace = null, CancellationToken cancellationToken = default)
    {
        var request = new ListExperimentsRequest();
        if (@namespace is not null) request.Namespace = TrackingNames.Namespace(@namespace, nameof(@namespace));
        var reply = await CallAsync(_client.ListExperimentsAsync(request, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return reply.Experiments.Select(ExperimentWire.ToExperiment).ToArray();
    }

    /// <summary>
    /// Sets an experiment's status. An end status records <paramref name="endedAt"/> (the server's clock when null);
    /// <see cref="ExperimentStatus.Running"/> clears the end time and refuses an <paramref name="endedAt"/>.
    /// </summary>
    /// <exception cref="TrackingNotFoundException">No experiment has that id.</exception>
    public async Task<Experiment> SetExperimentStatusAsync(string experimentId, ExperimentStatus status, DateTimeOffset? endedAt = null, CancellationToken cancellationToken = default)
    {
        var request = new SetExperimentStatusRequest
        {
            Id = TrackingNames.Id(experimentId, nameof(experimentId), "experiment id"),
            Status = ExperimentWire.ToMessage(status),
        };
        if (endedAt is { } end) request.EndedAtUnixMicros = WireTime.ToMicros(end);
        return ExperimentWire.ToExperiment(await CallAsync(_client.SetExperimentStatusAsync(request, cancellationToken: cancellationToken)).ConfigureAwait(false));
    }

    /// <summary>
    /// Stores a batch of points in one transaction, or nothing when a batch with the same idempotency key was stored before
    /// (<see cref="MetricBatchOutcome.AlreadyStored"/>): after a lost reply, send the same batch again.
    /// </summary>
    /// <exception cref="TrackingNotFoundException">No experiment has the batch's id.</exception>
    /// <exception cref="TrackingInvalidArgumentException">The idempotency key was used before for different points.</exception>
    public async Task<MetricBatchOutcome> LogMetricsAsync(MetricBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var reply = await CallAsync(_client.LogMetricsAsync(MetricWire.ToRequest(batch), cancellationToken: cancellationToken)).ConfigureAwait(false);
        return MetricWire.ToOutcome(reply);
    }

    /// <summary>
    /// The points of series <paramref name="key"/> whose step is within [<paramref name="fromStep"/>, <paramref name="toStep"/>]
    /// (open where null), by step and, within a step, in the order they were logged.
    /// </summary>
    /// <exception cref="TrackingNotFoundException">No experiment has that id.</exception>
    public async Task<IReadOnlyList<MetricPoint>> ReadMetricAsync(string experimentId, string key, long? fromStep = null, long? toStep = null, CancellationToken cancellationToken = default)
    {
        var request = new ReadMetricRequest
        {
            ExperimentId = TrackingNames.Id(experimentId, nameof(experimentId), "experiment id"),
            Key = TrackingNames.Key(key, nameof(key), "metric key"),
        };
        if (fromStep is { } from) request.FromStep = from;
        if (toStep is { } to) request.ToStep = to;
        var reply = await CallAsync(_client.ReadMetricAsync(request, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return MetricWire.ToPoints(reply.Points);
    }

    /// <summary>The last logged point of every series of the experiment, by key.</summary>
    /// <exception cref="TrackingNotFoundException">No experiment has that id.</exception>
    public async Task<IReadOnlyList<MetricPoint>> ReadLatestMetricsAsync(string experimentId, CancellationToken cancellationToken = default)
    {
        var request = new ReadLatestMetricsRequest { ExperimentId = TrackingNames.Id(experimentId, nameof(experimentId), "experiment id") };
        var reply = await CallAsync(_client.ReadLatestMetricsAsync(request, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return MetricWire.ToPoints(reply.Points);
    }

    /// <summary>Records a checkpoint of an experiment (its bytes are the blob <see cref="CheckpointDraft.BlobSha256"/>).</summary>
    /// <exception cref="TrackingNotFoundException">No experiment has the draft's id.</exception>
    public async Task<Checkpoint> CreateCheckpointAsync(CheckpointDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var reply = await CallAsync(_client.CreateCheckpointAsync(CheckpointWire.ToRequest(draft), cancellationToken: cancellationToken)).ConfigureAwait(false);
        return CheckpointWire.ToCheckpoint(reply);
    }

    /// <summary>The checkpoint <paramref name="checkpointId"/>.</summary>
    /// <exception cref="TrackingNotFoundException">No checkpoint has that id.</exception>
    public async Task<Checkpoint> GetCheckpointAsync(string checkpointId, CancellationToken cancellationToken = default)
    {
        var request = new GetCheckpointRequest { Id = TrackingNames.Id(checkpointId, nameof(checkpointId), "checkpoint id") };
        return CheckpointWire.ToCheckpoint(await CallAsync(_client.GetCheckpointAsync(request, cancellationToken: cancellationToken)).ConfigureAwait(false));
    }

    /// <summary>The checkpoints of an experiment by step, then in the order recorded.</summary>
    /// <exception cref="TrackingNotFoundException">No experiment has that id.</exception>
    public async Task<IReadOnlyList<Checkpoint>> ListCheckpointsAsync(string experimentId, CancellationToken cancellationToken = default)
    {
        var request = new ListCheckpointsRequest { ExperimentId = TrackingNames.Id(experimentId, nameof(experimentId), "experiment id") };
        var reply = await CallAsync(_client.ListCheckpointsAsync(request, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return reply.Checkpoints.Select(CheckpointWire.ToCheckpoint).ToArray();
    }

    /// <summary>Registers a model (and its namespace if new).</summary>
    /// <exception cref="TrackingAlreadyExistsException">The namespace has a model of that name.</exception>
    public async Task<RegisteredModel> CreateModelAsync(RegisteredModelDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return ModelWire.ToModel(await CallAsync(_client.CreateModelAsync(ModelWire.ToRequest(draft), cancellationToken: cancellationToken)).ConfigureAwait(false));
    }

    /// <summary>The model <paramref name="modelId"/>.</summary>
    /// <exception cref="TrackingNotFoundException">No model has that id.</exception>
    public async Task<RegisteredModel> GetModelAsync(string modelId, CancellationToken cancellationToken = default)
    {
        var request = new GetModelRequest { Id = TrackingNames.Id(modelId, nameof(modelId), "model id") };
        return ModelWire.ToModel(await CallAsync(_client.GetModelAsync(request, cancellationToken: cancellationToken)).ConfigureAwait(false));
    }

    /// <summary>The model named <paramref name="name"/> in <paramref name="namespace"/>, or null.</summary>
    public async Task<RegisteredModel?> FindModelAsync(string @namespace, string name, CancellationToken cancellationToken = default)
    {
        var request = new FindModelRequest
        {
            Namespace = TrackingNames.Namespace(@namespace, nameof(@namespace)),
            Name = TrackingNames.Name(name, nameof(name), "model name"),
        };
        var reply = await CallAsync(_client.FindModelAsync(request, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return reply.Model is null ? null : ModelWire.ToModel(reply.Model);
    }

    /// <summary>The models of <paramref name="namespace"/> (of all namespaces when null), oldest first.</summary>
    public async Task<IReadOnlyList<RegisteredModel>> ListModelsAsync(string? @namespace = null, CancellationToken cancellationToken = default)
    {
        var request = new ListModelsRequest();
        if (@namespace is not null) request.Namespace = TrackingNames.Namespace(@namespace, nameof(@namespace));
        var reply = await CallAsync(_client.ListModelsAsync(request, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return reply.Models.Select(ModelWire.ToModel).ToArray();
    }

    /// <summary>Closes the connection.</summary>
    public void Dispose() => _channel.Dispose();

    private static async Task<T> CallAsync<T>(AsyncUnaryCall<T> call)
    {
        using (call)
        {
            try
            {
                return await call.ResponseAsync.ConfigureAwait(false);
            }
            catch (RpcException e) when (TrackingErrors.FromRpcException(e) is { } refusal)
            {
                throw refusal;
            }
        }
    }
}
