using Arc.Hosting;
using Arc.Remote;
using Arc.Types;

namespace Arc.Sdk.Tests.Remote;

/// <summary>
/// A tiny hand-written model whose answers a test can compute: for a 1×H×W float32 image the class is the row with
/// the largest (mean pixel + bias[row]); Fit nudges the bias of the true row up and the predicted row down for each
/// mistake, and reports the error rate before the update as the loss. Its weights are the H float32 biases.
/// </summary>
internal sealed class RowArgmaxModel : IRemoteModelHandler<ImageData, ClassData>
{
    private readonly float[] _bias;
    private readonly string[] _names;

    public RowArgmaxModel(int rows)
    {
        _bias = new float[rows];
        _names = Enumerable.Range(0, rows).Select(r => $"row{r}").ToArray();
    }

    /// <summary>When set, Predict waits on its token until the call is cancelled (and records that it saw it).</summary>
    public bool BlockPredictions { get; set; }

    public TaskCompletionSource PredictStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource ObservedCancellation { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<string> ClassNames => _names;

    public ModelDescription Describe() => new("rowargmax", ImageData.WireTag, ClassData.WireTag);

    public ValueTask<FitReply> FitAsync(ImageData inputs, ClassData targets, CancellationToken cancellationToken)
    {
        var predicted = Classify(inputs);
        var truth = targets.IndexSpan;
        int wrong = 0;
        for (int i = 0; i < predicted.Length; i++)
        {
            if (predicted[i] == truth[i]) continue;
            wrong++;
            _bias[truth[i]] += 0.5f;
            _bias[predicted[i]] -= 0.5f;
        }
        return ValueTask.FromResult(new FitReply((double)wrong / predicted.Length, predicted.Length));
    }

    public async ValueTask<ClassData> PredictAsync(ImageData inputs, CancellationToken cancellationToken)
    {
        if (BlockPredictions)
        {
            PredictStarted.TrySetResult();
            try { await Task.Delay(Timeout.Infinite, cancellationToken); }
            catch (OperationCanceledException) { ObservedCancellation.TrySetResult(); throw; }
        }
        return new ClassData(Classify(inputs), _names);
    }

    public ValueTask<ReadOnlyMemory<byte>> SaveWeightsAsync(CancellationToken cancellationToken)
        => ValueTask.FromResult<ReadOnlyMemory<byte>>(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_bias.AsSpan()).ToArray());

    public ValueTask LoadWeightsAsync(ReadOnlyMemory<byte> weights, CancellationToken cancellationToken)
    {
        if (weights.Length != _bias.Length * sizeof(float))
            throw new InvalidDataException($"expected {_bias.Length * sizeof(float)} bytes of weights, got {weights.Length}"); // as SupervisedModel.LoadWeights documents
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(weights.Span).CopyTo(_bias);
        return ValueTask.CompletedTask;
    }

    /// <summary>The same rule the model applies, for tests to compute expected answers independently of the wire.</summary>
    public static long[] Expected(float[] pixels, int n, int h, int w, float[] bias)
    {
        var result = new long[n];
        for (int i = 0; i < n; i++)
        {
            int best = 0;
            float bestScore = float.NegativeInfinity;
            for (int r = 0; r < h; r++)
            {
                float sum = 0;
                for (int c = 0; c < w; c++) sum += pixels[(i * h + r) * w + c];
                float score = sum / w + bias[r];
                if (score > bestScore) { bestScore = score; best = r; }
            }
            result[i] = best;
        }
        return result;
    }

    private long[] Classify(ImageData inputs)
    {
        if (inputs.Channels != 1 || inputs.Height != _bias.Length || inputs.Pixels.DType != ArcDType.Float32)
            throw new ArgumentException($"expected float32 N×1×{_bias.Length}×W images, got {inputs}", nameof(inputs));
        return Expected(inputs.Pixels.AsSpan<float>().ToArray(), inputs.Count, inputs.Height, inputs.Width, _bias);
    }
}
