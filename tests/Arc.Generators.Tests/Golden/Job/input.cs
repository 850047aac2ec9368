using System.Threading;
using System.Threading.Tasks;
using Arc.Sdk;
using Arc.Types;

namespace Samples.Jobs;

/// <summary>A job whose data location and size are parameters.</summary>
[Job]
public partial class ClassifyDigits : SupervisedJob<ImageData, ClassData>
{
    private readonly string _dataRoot;
    private readonly int _limit;

    /// <summary>Creates the job.</summary>
    public ClassifyDigits(string dataRoot = "data/mnist", int limit = 0)
    {
        _dataRoot = dataRoot;
        _limit = limit;
    }

    /// <inheritdoc />
    protected override ValueTask<Batch<ImageData, ClassData>> LoadSplitAsync(DataSplit split, CancellationToken cancellationToken)
        => throw new System.NotSupportedException();

    /// <inheritdoc />
    public override string ToString() => $"dataRoot={_dataRoot} limit={_limit}";
}
