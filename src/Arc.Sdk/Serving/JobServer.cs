using Arc.Hosting;
using Arc.Remote;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// One job served by an <see cref="ArcWorkerHost"/> in this process (what a worker process runs for a job). Disposing
/// stops the host first, so no call can reach the job after it is freed, then disposes the job when it is disposable.
/// </summary>
public sealed class JobServer : IAsyncDisposable
{
    private readonly ArcWorkerHost _host;
    private readonly object _job;

    private JobServer(ArcWorkerHost host, object job)
    {
        _host = host;
        _job = job;
    }

    /// <summary>The URL clients connect to.</summary>
    public Uri Address => _host.Address;

    /// <summary>The bound port.</summary>
    public int Port => _host.Port;

    /// <summary>The token callers must send (<see cref="ArcWorkerHost.Token"/>).</summary>
    public string Token => _host.Token;

    /// <summary>What a client of this server needs besides its address: the token, and the certificate to pin.</summary>
    public ArcChannelOptions ClientOptions => _host.ClientOptions;

    /// <summary>Serves <paramref name="job"/>, which the server then owns (it is disposed if starting fails).</summary>
    public static async Task<JobServer> StartAsync<X, Y>(ISupervisedJob<X, Y> job, ArcWorkerOptions? options = null,
        CancellationToken cancellationToken = default)
        where X : class, IArcData<X>
        where Y : class, IArcData<Y>
    {
        ArgumentNullException.ThrowIfNull(job);
        try
        {
            return new JobServer(await ArcWorkerHost.StartJobAsync(new SupervisedJobHandler<X, Y>(job), options, cancellationToken).ConfigureAwait(false), job);
        }
        catch
        {
            await Disposal.DisposeIfDisposableAsync(job).ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync().ConfigureAwait(false);
        await Disposal.DisposeIfDisposableAsync(_job).ConfigureAwait(false);
    }
}
