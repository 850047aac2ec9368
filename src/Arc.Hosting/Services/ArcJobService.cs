using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Arc.Remote;
using Arc.Types;

namespace Arc.Hosting;

/// <summary>
/// The worker side of <c>arc.Job</c> for one job: streams the handler's batches as they come (one message each, so
/// memory does not grow with the split), and maps the handler's exceptions like <see cref="ArcModelService{X, Y}"/>.
/// When the caller cancels or stops reading, the call's token fires and the handler's enumeration stops.
/// </summary>
public sealed class ArcJobService<X, Y> where X : class, IArcData<X> where Y : class, IArcData<Y>
{
    private readonly IRemoteJobHandler<X, Y> _handler;

    /// <summary>Serves <paramref name="handler"/>.</summary>
    public ArcJobService(IRemoteJobHandler<X, Y> handler) => _handler = handler ?? throw new ArgumentNullException(nameof(handler));

    /// <summary>Binds <c>arc.Job</c>'s descriptors (<see cref="ArcJobMethods{X, Y}"/>) to this service's methods.</summary>
    internal static void Bind(ServiceMethodProviderContext<ArcJobService<X, Y>> context)
    {
        var none = Array.Empty<object>();
        context.AddServerStreamingMethod(ArcJobMethods<X, Y>.Stream, none, (service, request, writer, call) => service.Stream(request, writer, call));
        context.AddUnaryMethod(ArcJobMethods<X, Y>.Sample, none, (service, request, call) => service.Sample(request, call));
        context.AddUnaryMethod(ArcJobMethods<X, Y>.Describe, none, (service, request, call) => service.Describe(request, call));
    }

    internal Task<JobBatch<X, Y>> Sample(JobSampleRequest request, ServerCallContext context)
        => ServiceCalls.Guard(context, async ct =>
        {
            var (x, y) = await _handler.SampleAsync(request.Count, request.Split, request.Seed, ct).ConfigureAwait(false);
            return new JobBatch<X, Y>(x, y);
        });

    internal Task<JobDescription> Describe(EmptyMessage request, ServerCallContext context)
        => ServiceCalls.Guard(context, _ => Task.FromResult(_handler.Describe()));

    internal Task Stream(JobStreamRequest request, IServerStreamWriter<JobBatch<X, Y>> writer, ServerCallContext context)
        => ServiceCalls.Guard(context, async ct =>
        {
            await foreach (var (x, y) in _handler.StreamAsync(request.BatchSize, request.Split, request.ShuffleSeed, ct).WithCancellation(ct).ConfigureAwait(false))
                await writer.WriteAsync(new JobBatch<X, Y>(x, y), ct).ConfigureAwait(false);
            return true;
        });
}
