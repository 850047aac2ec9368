using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Arc.Hosting;
using Arc.Remote;
using Arc.Sdk;

namespace Arc.Worker;

/// <summary><c>arc.Model</c> on payload bytes, routed to whatever model the last reload loaded.</summary>
internal sealed class DevelopModelService(ReloadableCode code)
{
    /// <summary>The method names of <c>arc.Model</c>, the same paths a regular worker serves.</summary>
    public static readonly string[] Methods = ["Fit", "Predict", "SaveWeights", "LoadWeights", "SaveOptimizerState", "LoadOptimizerState", "Describe"];

    public Task<byte[]> Call(string method, byte[] request, ServerCallContext context)
        => code.CallModelAsync(method, request, context.CancellationToken);
}

internal sealed class DevelopModelServiceMethodProvider : IServiceMethodProvider<DevelopModelService>
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<DevelopModelService> context)
    {
        foreach (string name in DevelopModelService.Methods)
            context.AddUnaryMethod(new Method<byte[], byte[]>(MethodType.Unary, ArcModelMethods.ServiceName, name, RawBytes.Marshaller, RawBytes.Marshaller), [],
                (service, request, call) => service.Call(name, request, call));
    }
}

/// <summary><c>arc.Job</c> on payload bytes (the job's X and Y change with the code), routed to the job the last reload loaded.</summary>
internal sealed class DevelopJobService(ReloadableCode code)
{
    /// <summary><c>arc.Job</c>'s service name (the descriptors' constant lives on the generic <see cref="ArcJobMethods{X, Y}"/>).</summary>
    public const string ServiceName = "arc.Job";

    /// <summary>The unary methods of <c>arc.Job</c>; <c>Stream</c> is the one server-streaming method.</summary>
    public static readonly string[] UnaryMethods = ["Sample", "Describe"];

    public Task<byte[]> Call(string method, byte[] request, ServerCallContext context)
        => code.CallJobAsync(method, request, context.CancellationToken);

    public Task Stream(byte[] request, IServerStreamWriter<byte[]> writer, ServerCallContext context)
        => code.StreamJobAsync(request, batch => writer.WriteAsync(batch, context.CancellationToken), context.CancellationToken);
}

internal sealed class DevelopJobServiceMethodProvider : IServiceMethodProvider<DevelopJobService>
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<DevelopJobService> context)
    {
        foreach (string name in DevelopJobService.UnaryMethods)
            context.AddUnaryMethod(new Method<byte[], byte[]>(MethodType.Unary, DevelopJobService.ServiceName, name, RawBytes.Marshaller, RawBytes.Marshaller), [],
                (service, request, call) => service.Call(name, request, call));
        context.AddServerStreamingMethod(
            new Method<byte[], byte[]>(MethodType.ServerStreaming, DevelopJobService.ServiceName, "Stream", RawBytes.Marshaller, RawBytes.Marshaller), [],
            (service, request, writer, call) => service.Stream(request, writer, call));
    }
}

/// <summary><c>arc.Pod</c> (its messages do not depend on the code), routed to the pods the last reload loaded.</summary>
internal sealed class DevelopPodService(ReloadableCode code)
{
    public Task<PodInvokeReply> Invoke(PodInvokeRequest request, ServerCallContext context)
        => code.CallPodsAsync(pods => pods.Invoke(request, context), context.CancellationToken);

    public Task<PodCatalog> Describe(EmptyMessage request, ServerCallContext context)
        => code.CallPodsAsync(pods => pods.Describe(request, context), context.CancellationToken);
}

internal sealed class DevelopPodServiceMethodProvider : IServiceMethodProvider<DevelopPodService>
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<DevelopPodService> context)
    {
        context.AddUnaryMethod(ArcPodMethods.Invoke, [], (service, request, call) => service.Invoke(request, call));
        context.AddUnaryMethod(ArcPodMethods.Describe, [], (service, request, call) => service.Describe(request, call));
    }
}

/// <summary>A marshaller that passes payload bytes through untouched.</summary>
internal static class RawBytes
{
    public static readonly Marshaller<byte[]> Marshaller = Marshallers.Create(static b => b, static b => b);
}

/// <summary><c>arc.Develop</c>: the blob store and reloads.</summary>
internal sealed class DevelopService(ReloadableCode code, BlobStore store, SharedFiles shared)
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
        => Guard(context, () => code.ReloadAsync(request, context.CancellationToken));

    public Task<DevelopStatus> Status(EmptyMessage request, ServerCallContext context)
        => Guard(context, () => Task.FromResult(code.Status with { Unloading = code.CountUnloading(), Shared = shared.FileNames }));

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
