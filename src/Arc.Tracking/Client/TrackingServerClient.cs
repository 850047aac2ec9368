using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace Arc.Tracking;

/// <summary>
/// A typed client of a tracking server (<c>arc.tracking.v1.TrackingService</c>, protos/arc/tracking/v1/tracking.proto):
/// every <see cref="IMetadataStore"/> call with the same records, rules and errors, so code written against the interface
/// runs embedded or remote alike; beyond the interface, file contents (<see cref="UploadFileAsync"/>,
/// <see cref="DownloadFileAsync"/>) and a live event stream (<see cref="WatchEventsAsync"/>). A store's
/// refusal comes back as the same <see cref="TrackingException"/> (<see cref="TrackingNotFoundException"/>,
/// <see cref="TrackingAlreadyExistsException"/>, <see cref="TrackingInvalidArgumentException"/>, the last also for an
/// argument the server found malformed); a transport failure stays an <see cref="RpcException"/>.
/// </summary>
/// <remarks>
/// One client holds one HTTP/2 connection and may be used by many callers at once. Dispose it to close the connection;
/// calls after that end in <see cref="ObjectDisposedException"/>. Arguments are checked here before anything is sent, with
/// the store's rules and exceptions.
/// </remarks>
public sealed partial class TrackingServerClient : IMetadataStore, IDisposable
{
    /// <summary>The largest message either side sends or accepts (a full batch of 100,000 points with long keys fits).</summary>
    public const int MaxMessageBytes = 64 * 1024 * 1024;

    private readonly GrpcChannel _channel;
    private readonly TrackingService.TrackingServiceClient _client;
    private int _disposed;

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
        var reply = await CallAsync(client => client.ListNamespacesAsync(new ListNamespacesRequest(), cancellationToken: cancellationToken)).ConfigureAwait(false);
        return reply.Namespaces.Select(n => new TrackingNamespace(n.Name, WireTime.FromMicros(n.CreatedAtUnixMicros, "created_at_unix_micros"))).ToArray();
    }

    /// <summary>Creates an experiment with status <see cref="ExperimentStatus.Running"/> (and its namespace if new).</summary>
    /// <exception cref="TrackingAlreadyExistsException">The namespace has an experiment of that name.</exception>
    public async Task<Experiment> CreateExperimentAsync(ExperimentDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var reply = await CallAsync(client => client.CreateExperimentAsync(ExperimentWire.ToRequest(draft), cancellationToken: cancellationToken)).ConfigureAwait(false);
        return ExperimentWire.ToExperiment(reply);
    }

    /// <summary>The experiment <paramref name="experimentId"/>.</summary>
    /// <exception cref="TrackingNotFoundException">No experiment has that id.</exception>
    public async Task<Experiment> GetExperimentAsync(string experimentId, CancellationToken cancellationToken = default)
    {
        var request = new GetExperimentRequest { Id = TrackingNames.Id(experimentId, nameof(experimentId), "experiment id") };
        return ExperimentWire.ToExperiment(await CallAsync(client => client.GetExperimentAsync(request, cancellationToken: cancellationToken)).ConfigureAwait(false));
    }

    /// <summary>The experiment named <paramref name="name"/> in <paramref name="namespace"/>, or null.</summary>
    public async Task<Experiment?> FindExperimentAsync(string @namespace, string name, CancellationToken cancellationToken = default)
    {
        var request = new FindExperimentRequest
        {
            Namespace = TrackingNames.Namespace(@namespace, nameof(@namespace)),
            Name = TrackingNames.Name(name, nameof(name), "experiment name"),
        };
        var reply = await CallAsync(client => client.FindExperimentAsync(request, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return reply.Experiment is null ? null : ExperimentWire.ToExperiment(reply.Experiment);
    }

    /// <summary>The experiments of <paramref name="namespace"/> (of all namespaces when null), oldest first.</summary>
    public async Task<IReadOnlyList<Experiment>> ListExperimentsAsync(string? @namespace = null, CancellationToken cancellationToken = default)
    {
        var request = new ListExperimentsRequest();
        if (@namespace is not null) request.Namespace = TrackingNames.Namespace(@namespace, nameof(@namespace));
        var reply = await CallAsync(client => client.ListExperimentsAsync(request, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return reply.Experiments.Select(ExperimentWire.ToExperiment).ToArray();
    }

    /// <summary>
    /// Sets an experiment's status. An end status records <paramref name="endedAt"/> (the server's clock when null);
    /// <see cref="ExperimentStatus.Running"/> clears the end time and refuses an <paramref name="endedAt"/>.
    /// </summary>
    /// <exception cref="TrackingNotFoundException">No experiment has that id.</exception>
    public async Task<Experiment> SetExperimentStatusAsync(string experimentId, ExperimentStatus status, DateTimeOffset? endedAt = null, CancellationToken cancellationToken = default)
    {
        TrackingNames.Id(experimentId, nameof(experimentId), "experiment id");
        ExperimentStatusChange.Check(status, endedAt);
        var request = new SetExperimentStatusRequest
        {
            Id = experimentId,
            Status = ExperimentWire.ToMessage(status),
        };
        if (endedAt is { } end) request.EndedAtUnixMicros = WireTime.ToMicros(end);
        return ExperimentWire.ToExperiment(await CallAsync(client => client.SetExperimentStatusAsync(request, cancellationToken: cancellationToken)).ConfigureAwait(false));
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
        var reply = await CallAsync(client => client.LogMetricsAsync(MetricWire.ToRequest(batch), cancellationToken: cancellationToken)).ConfigureAwait(false);
        return MetricWire.ToOutcome(reply);
    }

    /// <summary>
    /// The points of series <paramref name="key"/> whose step is within [<paramref name="fromStep"/>, <paramref name="toStep"/>]
    /// (open where null), by step and, within a step, in the order they were logged.
    /// </summary>
    /// <remarks>
    /// The series comes as a stream of pages (<c>ReadMetricPages</c>, packed columns of up to 8,192 points), each decoded
    /// while the next is on its way, so a long series costs neither one huge message nor a per-point message on the wire.
    /// </remarks>
    /// <exception cref="TrackingNotFoundException">No experiment has that id.</exception>
    public async Task<IReadOnlyList<MetricPoint>> ReadMetricAsync(string experimentId, string key, long? fromStep = null, long? toStep = null, CancellationToken cancellationToken = default)
    {
        var request = new ReadMetricRequest
        {
            ExperimentId = TrackingNames.Id(experimentId, nameof(experimentId), "experiment id"),
            Key = TrackingNames.Key(key, nameof(key), "metric key"),
        };
        if (fromStep > toStep) throw new ArgumentException($"the step range [{fromStep}, {toStep}] is empty: fromStep is after toStep", nameof(fromStep));
        if (fromStep is { } from) request.FromStep = from;
        if (toStep is { } to) request.ToStep = to;
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var points = new List<MetricPoint>();
        using var call = _client.ReadMetricPages(request, cancellationToken: cancellationToken);
        try
        {
            while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
                MetricPageWire.AddPoints(points, request.Key, call.ResponseStream.Current);
        }
        catch (RpcException e) when (TrackingErrors.FromRpcException(e) is { } refusal)
        {
            throw refusal;
        }
        return points;
    }

    /// <summary>The last logged point of every series of the experiment, by key.</summary>
    /// <exception cref="TrackingNotFoundException">No experiment has that id.</exception>
    public async Task<IReadOnlyList<MetricPoint>> ReadLatestMetricsAsync(string experimentId, CancellationToken cancellationToken = default)
    {
        var request = new ReadLatestMetricsRequest { ExperimentId = TrackingNames.Id(experimentId, nameof(experimentId), "experiment id") };
        var reply = await CallAsync(client => client.ReadLatestMetricsAsync(request, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return MetricWire.ToPoints(reply.Points);
    }

    /// <summary>Records a checkpoint of an experiment (its bytes are the blob <see cref="CheckpointDraft.BlobSha256"/>).</summary>
    /// <exception cref="TrackingNotFoundException">No experiment has the draft's id.</exception>
    public async Task<Checkpoint> CreateCheckpointAsync(CheckpointDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var reply = await CallAsync(client => client.CreateCheckpointAsync(CheckpointWire.ToRequest(draft), cancellationToken: cancellationToken)).ConfigureAwait(false);
        return CheckpointWire.ToCheckpoint(reply);
    }

    /// <summary>The checkpoint <paramref name="checkpointId"/>.</summary>
    /// <exception cref="TrackingNotFoundException">No checkpoint has that id.</exception>
    public async Task<Checkpoint> GetCheckpointAsync(string checkpointId, CancellationToken cancellationToken = default)
    {
        var request = new GetCheckpointRequest { Id = TrackingNames.Id(checkpointId, nameof(checkpointId), "checkpoint id") };
        return CheckpointWire.ToCheckpoint(await CallAsync(client => client.GetCheckpointAsync(request, cancellationToken: cancellationToken)).ConfigureAwait(false));
    }

    /// <summary>The checkpoints of an experiment by step, then in the order recorded.</summary>
    /// <exception cref="TrackingNotFoundException">No experiment has that id.</exception>
    public async Task<IReadOnlyList<Checkpoint>> ListCheckpointsAsync(string experimentId, CancellationToken cancellationToken = default)
    {
        var request = new ListCheckpointsRequest { ExperimentId = TrackingNames.Id(experimentId, nameof(experimentId), "experiment id") };
        var reply = await CallAsync(client => client.ListCheckpointsAsync(request, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return reply.Checkpoints.Select(CheckpointWire.ToCheckpoint).ToArray();
    }

    /// <summary>Closes the connection.</summary>
    public void Dispose()
    {
        Volatile.Write(ref _disposed, 1);
        _channel.Dispose();
    }

    /// <summary>Closes the connection.</summary>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<T> CallAsync<T>(Func<TrackingService.TrackingServiceClient, AsyncUnaryCall<T>> start)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return await CallAsync(start(_client)).ConfigureAwait(false);
    }

    private static async Task<T> CallAsync<T>(AsyncUnaryCall<T> call)
    {
        using (call) return await ReplyAsync(call.ResponseAsync).ConfigureAwait(false);
    }

    /// <summary>A call's reply, with a refusal's status turned into its typed exception.</summary>
    private static async Task<T> ReplyAsync<T>(Task<T> reply)
    {
        try
        {
            return await reply.ConfigureAwait(false);
        }
        catch (RpcException e) when (TrackingErrors.FromRpcException(e) is { } refusal)
        {
            throw refusal;
        }
    }
}
