using Arc.Hosting;
using Arc.Remote;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// One model served by an <see cref="ArcWorkerHost"/> in this process (what a worker process runs). Disposing stops the
/// host first, so no call can reach the model after it is freed, then disposes the model.
/// </summary>
public sealed class ModelServer : IAsyncDisposable
{
    private readonly ArcWorkerHost _host;
    private readonly IAsyncDisposable _handler;

    private ModelServer(ArcWorkerHost host, IAsyncDisposable handler)
    {
        _host = host;
        _handler = handler;
    }

    /// <summary>The URL clients connect to.</summary>
    public Uri Address => _host.Address;

    /// <summary>The bound port.</summary>
    public int Port => _host.Port;

    /// <summary>The token callers must send (<see cref="ArcWorkerHost.Token"/>).</summary>
    public string Token => _host.Token;

    /// <summary>What a client of this server needs besides its address: the token, and the certificate to pin.</summary>
    public ArcChannelOptions ClientOptions => _host.ClientOptions;

    /// <summary>Serves <paramref name="model"/>, which the server then owns (it is disposed if starting fails).</summary>
    public static async Task<ModelServer> StartAsync<X, Y>(ISupervisedModel<X, Y> model, ArcWorkerOptions? options = null,
        CancellationToken cancellationToken = default)
        where X : class, IArcData<X>
        where Y : class, IArcData<Y>
    {
        ArgumentNullException.ThrowIfNull(model);
        var handler = new SupervisedModelHandler<X, Y>(model, ownsModel: true);
        try
        {
            return new ModelServer(await ArcWorkerHost.StartAsync(handler, options, cancellationToken).ConfigureAwait(false), handler);
        }
        catch
        {
            await handler.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync().ConfigureAwait(false);
        await _handler.DisposeAsync().ConfigureAwait(false);
    }
}
