using System.Runtime.CompilerServices;
using Arc.Types;

namespace Arc.Remote;

/// <summary>
/// A model on a worker, used through the same <see cref="ISupervisedModel{X, Y}"/> interface as a local one: a job
/// trains and evaluates it unchanged, and every call crosses gRPC and the wire form. Connect with
/// <see cref="ConnectAsync(Uri, string, CancellationToken)"/> or get one from <c>Target.DeployAsync</c> (Arc.Sdk).
/// </summary>
/// <remarks>
/// Failures are those of a local model (docs/errors.md): arguments are checked before anything is sent (a null one is
/// <see cref="ArgumentNullException"/> naming it, inputs and targets of different lengths <see cref="ArgumentException"/>),
/// an argument error the model reports on the worker arrives as the same <see cref="ArgumentException"/>, cancellation
/// and deadlines as <see cref="OperationCanceledException"/>, another model exception as
/// <see cref="ArcRemoteException"/>, an unreachable worker as <see cref="ArcWorkerUnavailableException"/>. Disposing
/// closes the connection and stops whatever the model owns (a loopback worker and its model); calls after that throw
/// <see cref="ObjectDisposedException"/>.
/// </remarks>
public sealed class RemoteModel<X, Y> : IDeployedModel<X, Y>, IDeviceInfo, IContractInfo, IAsyncOptimizerState
    where X : class, IArcData<X>
    where Y : class, IArcData<Y>
{
    private readonly ArcChannel _channel;
    private readonly IAsyncDisposable? _owned;
    private int _disposed;

    private RemoteModel(ArcChannel channel, ModelDescription description, IAsyncDisposable? owned)
    {
        _channel = channel;
        _owned = owned;
        Client = new RemoteModelClient<X, Y>(channel);
        Name = description.Name;
        DeviceName = description.Device ?? "unknown";
        Contract = description.Contract ?? DataContract.None;
    }

    /// <summary>The model's name, as the worker described it when this client connected.</summary>
    public string Name { get; }

    /// <summary>Where the model computes on its worker (e.g. <c>cpu</c>, <c>cuda:0</c>), as described when this client connected; <c>unknown</c> when the model does not say.</summary>
    public string DeviceName { get; }

    /// <summary>The worker's address.</summary>
    public Uri Address => _channel.Address;

    /// <summary>
    /// The model's contract as the worker described it when this client connected: every call checks its arguments
    /// against it before sending, with the worker's message, so a misfit costs no round trip.
    /// </summary>
    public DataContract Contract { get; }

    /// <summary>The protocol client underneath, for calls with deadlines.</summary>
    public RemoteModelClient<X, Y> Client { get; }

    /// <summary>
    /// Connects to the worker at <paramref name="address"/>, asks it to describe its model and checks that the model
    /// takes <typeparamref name="X"/> and returns <typeparamref name="Y"/>.
    /// </summary>
    /// <param name="address">The worker, e.g. <c>http://127.0.0.1:5000</c>.</param>
    /// <param name="token">The worker's token (<c>ArcWorkerHost.Token</c>, or the one its deployment made).</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <exception cref="ArcWorkerUnavailableException">No worker answers at <paramref name="address"/>.</exception>
    /// <exception cref="ArcWorkerAuthenticationException">The worker refused the token.</exception>
    /// <exception cref="InvalidOperationException">The worker's model has other input or output types.</exception>
    public static Task<RemoteModel<X, Y>> ConnectAsync(Uri address, string token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        return ConnectAsync(address, new ArcChannelOptions { Token = token }, owned: null, cancellationToken);
    }

    /// <summary>As <see cref="ConnectAsync(Uri, string, CancellationToken)"/>, with the token, a certificate to pin and client-side limits in <paramref name="options"/>.</summary>
    public static Task<RemoteModel<X, Y>> ConnectAsync(Uri address, ArcChannelOptions options, CancellationToken cancellationToken = default)
        => ConnectAsync(address, options ?? throw new ArgumentNullException(nameof(options)), owned: null, cancellationToken);

    /// <summary>Connects and takes ownership of <paramref name="owned"/> (disposed with the model, or at once if connecting fails).</summary>
    internal static async Task<RemoteModel<X, Y>> ConnectAsync(Uri address, ArcChannelOptions? options, IAsyncDisposable? owned,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        var channel = new ArcChannel(address, options);
        try
        {
            var description = await new RemoteModelClient<X, Y>(channel).DescribeAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            if (description.InputTag != X.WireTag || description.OutputTag != Y.WireTag)
                throw new InvalidOperationException(
                    $"the worker at {address} serves model '{description.Name}' from '{description.InputTag}' to '{description.OutputTag}', " +
                    $"not from '{X.WireTag}' ({typeof(X).Name}) to '{Y.WireTag}' ({typeof(Y).Name})");
            return new RemoteModel<X, Y>(channel, description, owned);
        }
        catch
        {
            channel.Dispose();
            if (owned is not null) await owned.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask<FitResult> FitAsync(X x, Y y, CancellationToken cancellationToken = default)
    {
        ModelArguments.CheckPair(x, y);
        Contract.CheckX(x);
        Contract.CheckY(y);
        ThrowIfDisposed();
        var reply = await Client.FitAsync(x, y, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new FitResult(reply.Loss, reply.Samples);
    }

    /// <summary>
    /// Fits the batches over one <c>/arc.Model/FitStream</c> call: up to
    /// <see cref="RemoteModelClient{X, Y}.DefaultFitStreamDepth"/> batches travel ahead of the replies, so sending
    /// the next batch overlaps with fitting the current one. Results equal those of <see cref="FitAsync"/> in a loop.
    /// </summary>
    public async IAsyncEnumerable<FitResult> FitBatchesAsync(IAsyncEnumerable<Batch<X, Y>> batches,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        ThrowIfDisposed();
        await foreach (var reply in Client.FitStreamAsync(AsPairs(batches, Contract), cancellationToken: cancellationToken).ConfigureAwait(false))
            yield return new FitResult(reply.Loss, reply.Samples);
    }

    private static async IAsyncEnumerable<(X, Y)> AsPairs(IAsyncEnumerable<Batch<X, Y>> batches, DataContract contract,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var (x, y) in batches.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            // The batch is refused here, before it is sent, with the message the worker would give.
            contract.CheckX(x);
            contract.CheckY(y);
            yield return (x, y);
        }
    }

    /// <inheritdoc />
    public ValueTask<Y> PredictAsync(X x, CancellationToken cancellationToken = default) => new(PredictTask(x, cancellationToken));

    /// <summary>
    /// <see cref="PredictAsync"/> as the client's own task, without a wrapper: a worker process races it against its
    /// exit as is (Predict is the latency-sensitive call; a disposed model still fails through the task).
    /// </summary>
    internal Task<Y> PredictTask(X x, CancellationToken cancellationToken)
    {
        if (x is null) return Task.FromException<Y>(new ArgumentNullException(nameof(x)));
        try { Contract.CheckX(x); }
        catch (ArgumentException e) { return Task.FromException<Y>(e); }
        return Volatile.Read(ref _disposed) != 0 ? Task.FromException<Y>(new ObjectDisposedException(GetType().FullName))
            : Client.PredictAsync(x, cancellationToken: cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask SaveWeightsAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ThrowIfDisposed();
        var weights = await Client.SaveWeightsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await destination.WriteAsync(weights, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask LoadWeightsAsync(Stream source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ThrowIfDisposed();
        await Client.LoadWeightsAsync(await ReadAllAsync(source, cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> TrySaveOptimizerStateAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ThrowIfDisposed();
        var state = await Client.SaveOptimizerStateAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        if (state.IsEmpty) return false;
        await destination.WriteAsync(state, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public async ValueTask LoadOptimizerStateAsync(Stream source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ThrowIfDisposed();
        await Client.LoadOptimizerStateAsync(await ReadAllAsync(source, cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the connection, then disposes what the model owns (a loopback worker stops and frees its model).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _channel.Dispose();
        if (_owned is not null) await _owned.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override string ToString() => $"remote model '{Name}' at {Address}";

    /// <summary>What is left of <paramref name="source"/>, in memory: a payload travels as one message.</summary>
    private static async Task<ReadOnlyMemory<byte>> ReadAllAsync(Stream source, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        await source.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return new ReadOnlyMemory<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
