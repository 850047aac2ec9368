using Arc.Remote;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Testing.Fuzz;

/// <summary>
/// The <c>arc.Job</c> methods of a worker serving <see cref="FuzzJob"/>: Stream, Sample and Describe. Batches are
/// predicted by running the same job here (its splits and shuffles are seeded), so every reply is checked byte for byte.
/// </summary>
internal static class JobEndpoints
{
    private const string Service = ArcJobMethods<ImageData, ClassData>.ServiceName;

    public static IReadOnlyList<FuzzEndpoint> For(string jobName)
    {
        var local = new FuzzJob();
        var batch = ArcJobMarshallers.Batch<ImageData, ClassData>();
        byte[] Encode(Batch<ImageData, ClassData> b) => LocalWire.Encode(batch, new JobBatch<ImageData, ClassData>(b.Inputs, b.Targets));

        return
        [
            new(Service, "Stream", CallShape.ServerStreaming,
                [Frame(new JobStreamRequest(5, JobSplits.Train, 3)), Frame(new JobStreamRequest(16, JobSplits.Test, null)), Frame(new JobStreamRequest(1, JobSplits.Validation, -7))],
                frame => LocalWire.Expect(ArcJobMarshallers.StreamRequest, frame, request =>
                {
                    var expected = ToList(local.StreamAsync(request.BatchSize, JobSplitNames.FromWire(request.Split), request.ShuffleSeed)).Select(Encode).ToArray();
                    return new Expected.Ok(replies => replies.Count == expected.Length && replies.Zip(expected).All(p => p.First.AsSpan().SequenceEqual(p.Second))
                        ? null : $"expected {expected.Length} batches as the job streams them here, got {replies.Count} that differ");
                })),
            new(Service, "Sample", CallShape.Unary,
                [Frame(new JobSampleRequest(4, JobSplits.Train, 1)), Frame(new JobSampleRequest(0, JobSplits.Test, null)), Frame(new JobSampleRequest(FuzzJob.SplitSize, JobSplits.Validation, 5))],
                frame => LocalWire.Expect(ArcJobMarshallers.SampleRequest, frame, request =>
                {
                    // More samples than the split holds is the job's own refusal (SupervisedJob.SampleAsync), reported as its exception.
                    if (request.Count > FuzzJob.SplitSize) return new Expected.RemoteError(typeof(ArgumentOutOfRangeException));
                    if (request.Seed is null)
                        return LocalWire.OneReply(reply => LocalWire.Decode(batch, reply).Value?.Inputs.Count == request.Count ? null : $"expected a batch of {request.Count}");
                    var expected = local.SampleAsync(request.Count, JobSplitNames.FromWire(request.Split), request.Seed).AsTask().GetAwaiter().GetResult();
                    return LocalWire.ReplyEquals(Encode(expected));
                })),
            new(Service, "Describe", CallShape.Unary, [[0xC0]], frame => LocalWire.Expect(ArcMarshallers.Empty, frame,
                _ => LocalWire.OneReply(reply => LocalWire.Decode(ArcJobMarshallers.Description, reply).Value?.Name == jobName ? null : "the description names another job"))),
        ];
    }

    private static byte[] Frame(JobStreamRequest request) => LocalWire.Encode(ArcJobMarshallers.StreamRequest, request);

    private static byte[] Frame(JobSampleRequest request) => LocalWire.Encode(ArcJobMarshallers.SampleRequest, request);

    private static List<T> ToList<T>(IAsyncEnumerable<T> items) => items.ToBlockingEnumerable().ToList();
}
