using System.Collections.Generic;
using Arc.Sdk;
using Arc.Types;

namespace Samples.Cli;

/// <summary>How the classifier pools.</summary>
public enum Pooling
{
    /// <summary>Max pooling.</summary>
    Max,
    /// <summary>Average pooling.</summary>
    Average,
}

/// <summary>A model with every kind of option.</summary>
[Model]
public partial class Conv : SupervisedModel<ImageData, ClassData>
{
    /// <summary>Creates the model.</summary>
    /// <param name="channels">Filters in the first convolution (see <see cref="Pooling"/>).</param>
    /// <param name="learningRate">Adam's learning rate.</param>
    /// <param name="pooling">How to pool.</param>
    /// <param name="batchNorm">Whether to add batch normalisation.</param>
    /// <param name="seed">Seeds the layers; clashes with the standard --seed.</param>
    /// <param name="sizes">Hidden sizes.</param>
    /// <param name="dropout">Dropout probability, none when null.</param>
    /// <param name="label">Shared with the job, so both get prefixes.</param>
    public Conv(int channels = 8, double learningRate = 2e-3, Pooling pooling = Pooling.Max, bool batchNorm = false, int? seed = null,
        IReadOnlyList<int>? sizes = null, float? dropout = null, string label = "conv")
    {
    }

    /// <inheritdoc />
    public override FitResult Fit(ImageData x, ClassData y) => new(0, x.Count);

    /// <inheritdoc />
    public override ClassData Predict(ImageData x) => throw new System.NotSupportedException();

    /// <inheritdoc />
    public override void SaveWeights(System.IO.Stream destination) { }

    /// <inheritdoc />
    public override void LoadWeights(System.IO.Stream source) { }
}

/// <summary>A second model: the same channels option, another type for learningRate.</summary>
[Model(Name = "mlp")]
public partial class Mlp : SupervisedModel<ImageData, ClassData>
{
    /// <summary>Creates the model.</summary>
    /// <param name="channels">Hidden units.</param>
    /// <param name="learningRate">A learning rate as float.</param>
    public Mlp(int channels = 128, float learningRate = 1e-3f)
    {
    }

    /// <inheritdoc />
    public override FitResult Fit(ImageData x, ClassData y) => new(0, x.Count);

    /// <inheritdoc />
    public override ClassData Predict(ImageData x) => throw new System.NotSupportedException();

    /// <inheritdoc />
    public override void SaveWeights(System.IO.Stream destination) { }

    /// <inheritdoc />
    public override void LoadWeights(System.IO.Stream source) { }
}

/// <summary>A job whose data folder is --dataset-dir.</summary>
[Job]
public partial class Digits : SupervisedJob<ImageData, ClassData>
{
    /// <summary>Creates the job.</summary>
    /// <param name="dataDirectory">Where the digits are.</param>
    /// <param name="maxPerDigit">Samples per digit, 0 for all.</param>
    /// <param name="label">The job's label.</param>
    public Digits(string? dataDirectory = null, int maxPerDigit = 0, string label = "digits")
    {
    }

    /// <inheritdoc />
    protected override System.Threading.Tasks.ValueTask<Batch<ImageData, ClassData>> LoadSplitAsync(DataSplit split, System.Threading.CancellationToken cancellationToken)
        => throw new System.NotSupportedException();
}
