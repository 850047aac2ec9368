using Grpc.Core;
using Arc.Hosting;
using Arc.Remote;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Worker;

/// <summary>An <c>arc.Job</c> call on payload bytes, for a develop worker whose job (and so its X and Y) changes at run time.</summary>
internal interface IRawJobHandler : IAsyncDisposable
{
    /// <summary>The job's name.</summary>
    string Name { get; }

    /// <summary><c>Sample</c> or <c>Describe</c>: decodes <paramref name="request"/>, calls the job, encodes the reply.</summary>
    Task<byte[]> CallAsync(string method, byte[] request, CancellationToken cancellationToken);

    /// <summary><c>Stream</c>: decodes <paramref name="request"/> and hands every batch, encoded, to <paramref name="write"/> as the job yields it.</summary>
    Task StreamAsync(byte[] request, Func<byte[], Task> write, CancellationToken cancellationToken);
}

/// <summary>Creates the byte-level handler of a registered job.</summary>
internal static class RawJobHandler
{
    /// <summary>Creates the job from <paramref name="parameters"/> and wraps it (<see cref="RawHandlerFactory"/>).</summary>
    public static IRawJobHandler Create(ClassRegistration registration, ReadOnlyMemory<byte> parameters)
        => RawHandlerFactory.Create<IRawJobHandler>(typeof(RawJobHandler<,>), registration, parameters, "job");
}

/// <summary>
/// <see cref="IRawJobHandler"/> over a <see cref="SupervisedJobHandler{X, Y}"/>, with the marshallers of
/// <see cref="ArcJobMethods{X, Y}"/>: a develop worker speaks the same <c>arc.Job</c> bytes as a regular one, and maps
/// the job's exceptions as <see cref="ArcJobService{X, Y}"/> does.
/// </summary>
internal sealed class RawJobHandler<X, Y>(ISupervisedJob<X, Y> job) : IRawJobHandler
    where X : class, IArcData<X>
    where Y : class, IArcData<Y>
{
    private readonly SupervisedJobHandler<X, Y> _handler = new(job, ownsJob: true);

    public string Name => job.Name;

    public Task<byte[]> CallAsync(string method, byte[] request, CancellationToken cancellationToken) => Guard(cancellationToken, async () =>
    {
        switch (method)
        {
            case "Sample":
                var sample = RawPayloads.Decode(ArcJobMethods<X, Y>.Sample, request);
                var (x, y) = await _handler.SampleAsync(sample.Count, sample.Split, sample.Seed, cancellationToken);
                return RawPayloads.Encode(ArcJobMethods<X, Y>.Sample, new JobBatch<X, Y>(x, y));
            case "Describe":
                RawPayloads.Decode(ArcJobMethods<X, Y>.Describe, request);
                return RawPayloads.Encode(ArcJobMethods<X, Y>.Describe, _handler.Describe());
            default:
                throw new RpcException(new Status(StatusCode.Unimplemented, $"arc.Job has no unary method '{method}'"));
        }
    });

    public Task StreamAsync(byte[] request, Func<byte[], Task> write, CancellationToken cancellationToken) => Guard(cancellationToken, async () =>
    {
        var stream = RawPayloads.Decode(ArcJobMethods<X, Y>.Stream, request);
        await foreach (var (x, y) in _handler.StreamAsync(stream.BatchSize, stream.Split, stream.ShuffleSeed, cancellationToken).WithCancellation(cancellationToken))
            await write(RawPayloads.Encode(ArcJobMethods<X, Y>.Stream, new JobBatch<X, Y>(x, y)));
        return true;
    });

    public ValueTask DisposeAsync() => _handler.DisposeAsync();

    private static async Task<T> Guard<T>(CancellationToken cancellationToken, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (RpcException)
        {
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Cancelled, "the call was cancelled"));
        }
        catch (Exception e)
        {
            throw ServiceCalls.ToRpcException(e, includeStack: false); // the stack is in the worker's log, forwarded to its owner
        }
    }
}
