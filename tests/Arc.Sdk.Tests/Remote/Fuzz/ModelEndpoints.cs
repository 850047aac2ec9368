using Arc.Hosting;
using Arc.Remote;
using Arc.Types;

namespace Arc.Testing.Fuzz;

/// <summary>
/// The <c>arc.Model</c> methods of a worker serving an <see cref="ImageData"/> → <see cref="ClassData"/> model whose
/// answers are known here: Predict, Fit, FitStream (when served), SaveWeights, LoadWeights, SaveOptimizerState,
/// LoadOptimizerState and Describe.
/// </summary>
internal static class ModelEndpoints
{
    private static readonly string Service = ArcModelMethods.ServiceName;

    /// <summary>
    /// The endpoints of a model named <paramref name="modelName"/> that predicts as <paramref name="predict"/> does and
    /// fits with loss 0; with <paramref name="optimizerState"/> it keeps an optimizer state, otherwise it must answer
    /// SaveOptimizerState with an empty bin and refuse LoadOptimizerState with NotSupportedException.
    /// </summary>
    public static IReadOnlyList<FuzzEndpoint> For(string modelName, Func<ImageData, ClassData> predict, bool fitStream, bool optimizerState)
    {
        var methods = (Fit: ArcModelMethods<ImageData, ClassData>.Fit, Predict: ArcModelMethods<ImageData, ClassData>.Predict);
        ImageData[] images = [Images(1, 4, 4, seed: 1), Images(3, 4, 4, seed: 2), new(ArcArray.From(new byte[12], 2, 1, 2, 3))];
        var predictFrames = images.Select(x => LocalWire.Encode(methods.Predict.RequestMarshaller, x)).ToArray();
        var fitFrames = images.Select(x => LocalWire.Encode(methods.Fit.RequestMarshaller, new FitRequest<ImageData, ClassData>(x, Targets(x.Count)))).ToArray();
        byte[] FitAnswer(int samples) => LocalWire.Encode(ArcMarshallers.FitReply, new FitReply(0, samples));

        var endpoints = new List<FuzzEndpoint>
        {
            new(Service, "Predict", CallShape.Unary, predictFrames, frame => LocalWire.Expect(methods.Predict.RequestMarshaller, frame,
                x => LocalWire.ReplyEquals(LocalWire.Encode(methods.Predict.ResponseMarshaller, predict(x))))),
            new(Service, "Fit", CallShape.Unary, fitFrames, frame => LocalWire.Expect(methods.Fit.RequestMarshaller, frame,
                request => LocalWire.ReplyEquals(FitAnswer(request.Inputs.Count)))),
            new(Service, "SaveWeights", CallShape.Unary, [[0xC0], [0x80]], frame => LocalWire.Expect(ArcMarshallers.Empty, frame,
                _ => LocalWire.OneReply(reply => LocalWire.Decode(ArcMarshallers.Weights, reply).Malformed))),
            new(Service, "LoadWeights", CallShape.Unary,
                [LocalWire.Encode(ArcMarshallers.Weights, new WeightsPayload(Enumerable.Range(0, 16).Select(i => (byte)i).ToArray())), [0xC4, 0x00]],
                frame => LocalWire.Expect(ArcMarshallers.Weights, frame, _ => LocalWire.ReplyEquals([0xC0]))),
            new(Service, "SaveOptimizerState", CallShape.Unary, [[0xC0], [0x80]], frame => LocalWire.Expect(ArcMarshallers.Empty, frame,
                _ => optimizerState ? LocalWire.OneReply(reply => LocalWire.Decode(ArcMarshallers.Weights, reply).Malformed)
                    : LocalWire.ReplyEquals(LocalWire.Encode(ArcMarshallers.Weights, new WeightsPayload(ReadOnlyMemory<byte>.Empty))))),
            new(Service, "LoadOptimizerState", CallShape.Unary,
                [LocalWire.Encode(ArcMarshallers.Weights, new WeightsPayload(Enumerable.Range(0, 8).Select(i => (byte)(i + 1)).ToArray())), [0xC4, 0x01, 0x07]],
                frame => LocalWire.Expect(ArcMarshallers.Weights, frame,
                    _ => optimizerState ? LocalWire.ReplyEquals([0xC0]) : new Expected.RemoteError(typeof(NotSupportedException)))),
            new(Service, "Describe", CallShape.Unary, [[0xC0]], frame => LocalWire.Expect(ArcMarshallers.Empty, frame,
                _ => LocalWire.OneReply(reply => LocalWire.Decode(ArcMarshallers.Description, reply).Value is { InputTag: "image", OutputTag: "class" } d && d.Name == modelName
                    ? null : "the description names another model or other tags"))),
        };
        if (fitStream)
        {
            // The stream carries a valid batch, the fuzzed one, and a valid batch: a malformed middle ends the call after one reply.
            int first = images[0].Count;
            endpoints.Add(new(Service, "FitStream", CallShape.DuplexBetweenValid, [fitFrames[0], .. fitFrames[1..]], frame =>
            {
                var (request, malformed) = LocalWire.Decode(methods.Fit.RequestMarshaller, frame);
                if (malformed is not null) return new Expected.Malformed(malformed, RepliesBefore: 1);
                byte[][] answers = [FitAnswer(first), FitAnswer(request!.Inputs.Count), FitAnswer(first)];
                return new Expected.Ok(replies => replies.Count == 3 && replies.Zip(answers).All(p => p.First.AsSpan().SequenceEqual(p.Second))
                    ? null : $"expected the three fit replies, got {replies.Count} replies");
            }));
        }
        return endpoints;
    }

    /// <summary>Seeded 1-channel float32 images.</summary>
    public static ImageData Images(int n, int h, int w, int seed)
    {
        var random = new Random(seed);
        var pixels = new float[n * h * w];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = random.NextSingle();
        return new ImageData(ArcArray.From(pixels, n, 1, h, w));
    }

    private static ClassData Targets(int n) => new(Enumerable.Range(0, n).Select(i => (long)(i % 3)).ToArray(), FuzzProbe.ClassNames);
}
