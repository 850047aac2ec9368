using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Arc.Hosting;
using Arc.Remote;
using Arc.Sdk;

namespace Arc.Worker;

/// <summary><c>arc.Model</c> on payload bytes, routed to whatever model the last reload loaded.</summary>
internal sealed class DevelopModelService(ReloadableModel model)
{
    /// <summary>The method names of <c>arc.Model</c>, the same paths a regular worker serves.</summary>
    public static readonly string[] Methods = ["Fit", "Predict", "SaveWeights", "LoadWeights", "Describe"];

    public Task<byte[]> Call(string method, byte[] request, ServerCallContext context)
        => model.CallAsync(method, request, context.CancellationToken);
}

internal sealed class DevelopModelServiceMethodProvider : IServiceMethodProvider<DevelopModelService>
{
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(static b => b, static b => b);

    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<DevelopModelService> context)
    {
        foreach (string name in DevelopModelService.Methods)
            context.AddUnaryMethod(new Method<byte[], byte[]>(MethodType.Unary, ArcModelMethods.ServiceName, name, Bytes, Bytes), [],
                (service, request, call) => service.Call(name, request, call));
    }
}

/// <summary><c>arc.Develop</c>: the blob store and reloads.</summary>
internal sealed class DevelopService(ReloadableModel model, BlobStore store, SharedFiles shared)
{
    public Task<BlobDigests> Missing(BlobDigests request, ServerCallContext context) => Guard(context, () =>
    {
        foreach (var digest in request.Digests)
            if (!BlobDigest.IsValid(digest))
                throw new DevelopRequestException($"'{digest}' is not a SHA-256 digest (64 lower-case hex characters)");
        return Task.FromResult(new BlobDigests(request.Digests.Where(d => !store.Contains(d)).Distinct().ToList()));
    });

    public Task<EmptyMessage> PutBlob(BlobUpload request, ServerCallContext context) => Guard(context, async () =>
    {
        await store.PutAsync(request.Digest, request.Bytes, context.CancellationToken);
        return EmptyMessage.Instance;
    });

    public Task<DevelopStatus> Reload(ReloadRequest request, ServerCallContext context)
        => Guard(context, () => model.ReloadAsync(request, context.CancellationToken));

    public Task<DevelopStatus> Status(EmptyMessage request, ServerCallContext context)
        => Guard(context, () => Task.FromResult(model.Status with { Unloading = model.CountUnloading(), Shared = shared.FileNames }));

    private static async Task<T> Guard<T>(ServerCallContext context, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (RpcException)
        {
            throw;
        }
        catch (DevelopRequestException e)
        {
            throw new RpcException(new Grpc.Core.Status(e.Status, StatusDetails.Clip(e.Message))); // it may quote a request's path or digest
        }
        catch (OperationCanceledException)
        {
            throw new RpcException(new Grpc.Core.Status(StatusCode.Cancelled, "the call was cancelled"));
        }
        catch (Exception e)
        {
            throw ServiceCalls.ToRpcException(e, context);
        }
    }
}

internal sealed class DevelopServiceMethodProvider : IServiceMethodProvider<DevelopService>
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<DevelopService> context)
    {
        context.AddUnaryMethod(ArcDevelopMethods.Missing, [], (service, request, call) => service.Missing(request, call));
        context.AddUnaryMethod(ArcDevelopMethods.PutBlob, [], (service, request, call) => service.PutBlob(request, call));
        context.AddUnaryMethod(ArcDevelopMethods.Reload, [], (service, request, call) => service.Reload(request, call));
        context.AddUnaryMethod(ArcDevelopMethods.Status, [], (service, request, call) => service.Status(request, call));
    }
}
