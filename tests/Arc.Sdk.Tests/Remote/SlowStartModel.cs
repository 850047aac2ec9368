using System.Diagnostics;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Sdk.Tests.Remote;

/// <summary>
/// A registered model whose constructor, in a worker process only, announces itself on stderr and never returns: the
/// worker never gets ready, so <see cref="Remote.LocalProcessOptions.ReadyTimeout"/> must end the wait.
/// </summary>
[Model]
public partial class SlowStartModel : SupervisedModel<ImageData, ClassData>
{
    /// <summary>The line the constructor writes to stderr before it blocks.</summary>
    public const string ConstructorStarted = "slow start model: constructor started";

    /// <summary>Blocks for good inside an Arc worker (ARC_WORKER=1); returns at once anywhere else.</summary>
    public SlowStartModel()
    {
        if (Environment.GetEnvironmentVariable("ARC_WORKER") != "1") return;
        Console.Error.WriteLine(ConstructorStarted);
        Thread.Sleep(Timeout.Infinite);
        throw new UnreachableException();
    }

    /// <inheritdoc />
    public override FitResult Fit(ImageData x, ClassData y) => throw new NotSupportedException("this model only blocks");

    /// <inheritdoc />
    public override ClassData Predict(ImageData x) => throw new NotSupportedException("this model only blocks");

    /// <inheritdoc />
    public override void SaveWeights(Stream destination) { }

    /// <inheritdoc />
    public override void LoadWeights(Stream source) { }
}
