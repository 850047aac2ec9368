using Grpc.AspNetCore.Server.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Arc.Types;

namespace Arc.Hosting;

/// <summary>
/// What an <see cref="ArcWorkerHost"/> serves: one Arc service bound to its handler — <c>arc.Model</c> for one model,
/// <c>arc.Job</c> for one job, <c>arc.Pod</c> for a set of pods — and what the host frees once it has stopped. Every
/// kind goes through the same <see cref="ArcWorkerHost.StartAsync(WorkerService, ArcWorkerOptions?, CancellationToken)"/>;
/// this type is the only place that knows which gRPC service a kind of handler needs.
/// </summary>
public sealed class WorkerService
{
    private readonly Action<IServiceCollection> _register;
    private readonly Action<WebApplication> _map;

    private WorkerService(string name, Action<IServiceCollection> register, Action<WebApplication> map, IAsyncDisposable? owned)
    {
        Name = name;
        _register = register;
        _map = map;
        Owned = owned;
    }

    /// <summary>The gRPC service, e.g. <c>arc.Model</c>.</summary>
    public string Name { get; }

    /// <summary>
    /// What the host disposes after it has stopped (so no call can reach it once freed), or at once when starting
    /// fails: e.g. the model behind the handler. Null when the caller keeps ownership.
    /// </summary>
    public IAsyncDisposable? Owned { get; }

    /// <summary>Serves <paramref name="handler"/> as <c>arc.Model</c>; the host disposes <paramref name="owned"/> when it stops.</summary>
    public static WorkerService Model<X, Y>(IRemoteModelHandler<X, Y> handler, IAsyncDisposable? owned = null)
        where X : class, IArcData<X> where Y : class, IArcData<Y>
        => Of<IRemoteModelHandler<X, Y>, ArcModelService<X, Y>>("arc.Model", handler, ArcModelService<X, Y>.Bind, owned);

    /// <summary>Serves <paramref name="handler"/> as <c>arc.Job</c>; the host disposes <paramref name="owned"/> when it stops.</summary>
    public static WorkerService Job<X, Y>(IRemoteJobHandler<X, Y> handler, IAsyncDisposable? owned = null)
        where X : class, IArcData<X> where Y : class, IArcData<Y>
        => Of<IRemoteJobHandler<X, Y>, ArcJobService<X, Y>>("arc.Job", handler, ArcJobService<X, Y>.Bind, owned);

    /// <summary>Serves <paramref name="handler"/>'s pods as <c>arc.Pod</c>; the host disposes <paramref name="owned"/> when it stops.</summary>
    public static WorkerService Pods(IRemotePodHandler handler, IAsyncDisposable? owned = null)
        => Of<IRemotePodHandler, ArcPodService>("arc.Pod", handler, ArcPodService.Bind, owned);

    /// <summary>Adds the handler, the service and its methods (bound by hand: no protobuf code generation) to the host's services.</summary>
    internal void Register(IServiceCollection services) => _register(services);

    /// <summary>Maps the service's endpoints.</summary>
    internal void Map(WebApplication app) => _map(app);

    /// <inheritdoc />
    public override string ToString() => Name;

    private static WorkerService Of<THandler, TService>(string name, THandler handler, Action<ServiceMethodProviderContext<TService>> bind,
        IAsyncDisposable? owned)
        where THandler : class
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(handler);
        return new WorkerService(name,
            services =>
            {
                services.AddSingleton(handler);
                services.AddSingleton<TService>();
                services.AddSingleton<IServiceMethodProvider<TService>>(new MethodBinder<TService>(bind));
            },
            app => app.MapGrpcService<TService>(),
            owned);
    }

    /// <summary>What Grpc.AspNetCore asks for a service's methods: here, the service's own <c>Bind</c>.</summary>
    private sealed class MethodBinder<TService>(Action<ServiceMethodProviderContext<TService>> bind) : IServiceMethodProvider<TService>
        where TService : class
    {
        public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context) => bind(context);
    }
}
