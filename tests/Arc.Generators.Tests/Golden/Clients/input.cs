using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Arc.Sdk;
using Arc.Types;

namespace Samples.Clients;

/// <summary>
/// Class <c>high</c> when an image's first pixel times <c>scale</c> exceeds the cutoff (its one weight, which Fit sets to
/// the mean scaled pixel). Its parameters are named like DeployAsync's own (<c>target</c>, <c>cancellationToken</c>)
/// and one is a keyword (<c>@checked</c>).
/// </summary>
[Model]
public partial class Cutoff : SupervisedModel<ImageData, ClassData>
{
    /// <summary>The class names.</summary>
    public static readonly string[] Classes = ["low", "high"];

    private readonly double _scale;
    private double _cutoff;

    /// <summary>Creates the model.</summary>
    public Cutoff(double target = 0.5, double scale = 1, int cancellationToken = 0, bool @checked = false)
    {
        _cutoff = target;
        _scale = scale;
        Tag = cancellationToken;
        Checked = @checked;
    }

    /// <summary>The <c>cancellationToken</c> argument (an int, to clash with DeployAsync's name).</summary>
    public int Tag { get; }

    /// <summary>The <c>checked</c> argument.</summary>
    public bool Checked { get; }

    /// <inheritdoc />
    public override FitResult Fit(ImageData x, ClassData y)
    {
        _cutoff = Scaled(x).Average();
        return new(0, x.Count);
    }

    /// <inheritdoc />
    public override ClassData Predict(ImageData x) => new(Scaled(x).Select(v => v > _cutoff ? 1L : 0L).ToArray(), Classes);

    /// <inheritdoc />
    public override void SaveWeights(Stream destination) => destination.Write(BitConverter.GetBytes(_cutoff));

    /// <inheritdoc />
    public override void LoadWeights(Stream source)
    {
        var bytes = new byte[sizeof(double)];
        source.ReadExactly(bytes);
        _cutoff = BitConverter.ToDouble(bytes);
    }

    private double[] Scaled(ImageData x)
    {
        var pixels = x.Pixels.AsSpan<float>();
        int size = pixels.Length / x.Count;
        var scaled = new double[x.Count];
        for (int i = 0; i < scaled.Length; i++)
            scaled[i] = pixels[i * size] * _scale;
        return scaled;
    }
}

/// <summary>A model without parameters: always <c>low</c>.</summary>
[Model]
public partial class AlwaysLow : SupervisedModel<ImageData, ClassData>
{
    /// <inheritdoc />
    public override FitResult Fit(ImageData x, ClassData y) => new(0, x.Count);

    /// <inheritdoc />
    public override ClassData Predict(ImageData x) => new(new long[x.Count], Cutoff.Classes);

    /// <inheritdoc />
    public override void SaveWeights(Stream destination) { }

    /// <inheritdoc />
    public override void LoadWeights(Stream source) { }
}

/// <summary><c>count</c> 1×1×1 images with the values 0, 1/count, 2/count...; the upper half is <c>high</c>.</summary>
[Job]
public partial class Ramp : SupervisedJob<ImageData, ClassData>
{
    private readonly int _count;

    /// <summary>Creates the job.</summary>
    public Ramp(int count = 10) => _count = count > 0 ? count : throw new ArgumentOutOfRangeException(nameof(count), count, "count must be positive");

    /// <inheritdoc />
    protected override ValueTask<Batch<ImageData, ClassData>> LoadSplitAsync(DataSplit split, CancellationToken cancellationToken)
    {
        var pixels = Enumerable.Range(0, _count).Select(i => (float)i / _count).ToArray();
        var classes = Enumerable.Range(0, _count).Select(i => i * 2 >= _count ? 1L : 0L).ToArray();
        return ValueTask.FromResult(new Batch<ImageData, ClassData>(new ImageData(ArcArray.From(pixels, _count, 1, 1, 1)), new ClassData(classes, Cutoff.Classes)));
    }
}

/// <summary>What the tests run: the generated entry points, called as a user would, on the target they are given.</summary>
public static class Driver
{
    /// <summary>A 1×1×1 image per value.</summary>
    public static ImageData Images(params float[] values) => new(ArcArray.From(values, values.Length, 1, 1, 1));

    /// <summary>Predictions of a deployed Cutoff and of a local one with the same arguments, and what the client carries.</summary>
    public static async Task<(long[] Remote, long[] Local, Cutoff.Hyperparameters Carried, string Client)> PredictAsync(Target where, float[] values)
    {
        await using var remote = await Cutoff.DeployAsync(where, target: 0.25, scale: 2, cancellationToken: 7, @checked: true);
        using var local = new Cutoff(target: 0.25, scale: 2, cancellationToken: 7, @checked: true);
        var x = Images(values);
        return ((await remote.PredictAsync(x)).IndexSpan.ToArray(), local.Predict(x).IndexSpan.ToArray(), remote.Hyperparameters, remote.ToString());
    }

    /// <summary>A deployed Cutoff fitted on <paramref name="values"/>: its weights and the predictions it then makes.</summary>
    public static async Task<(double Cutoff, long[] After)> FitAsync(Target where, float[] values)
    {
        await using var remote = await Cutoff.DeployAsync(where, new Cutoff.Hyperparameters(Scale: 1), CancellationToken.None);
        var x = Images(values);
        await remote.FitAsync(x, new ClassData(new long[values.Length], Cutoff.Classes));
        using var weights = new MemoryStream();
        await remote.SaveWeightsAsync(weights);
        return (BitConverter.ToDouble(weights.ToArray()), (await remote.PredictAsync(x)).IndexSpan.ToArray());
    }

    /// <summary>The name of a deployed model without parameters and its predictions.</summary>
    public static async Task<(string Name, long[] Predicted)> AlwaysLowAsync(Target where)
    {
        await using var remote = await AlwaysLow.DeployAsync(where);
        return (remote.Name, (await remote.PredictAsync(Images(1, 2))).IndexSpan.ToArray());
    }

    /// <summary>What <c>DevelopAsync</c> says on <paramref name="where"/>, a target that cannot reload code.</summary>
    public static async Task<string> DevelopAsync(Target where)
    {
        try
        {
            await using var developed = await Cutoff.DevelopAsync(where, target: 0.25);
            return "started in develop mode on " + where;
        }
        catch (NotSupportedException e)
        {
            return e.Message;
        }
    }

    /// <summary>What <c>ReloadAsync</c> says on the client of a model started with <c>DeployAsync</c>.</summary>
    public static async Task<string> ReloadDeployedAsync(Target where)
    {
        await using var deployed = await AlwaysLow.DeployAsync(where);
        try
        {
            await deployed.ReloadAsync();
            return "reloaded " + deployed;
        }
        catch (InvalidOperationException e)
        {
            return e.Message;
        }
    }

    /// <summary>
    /// A deployed Ramp job's stream next to a local one's, and the accuracy it reports for a deployed Cutoff and for a
    /// local Cutoff through the same call.
    /// </summary>
    public static async Task<(float[] Remote, float[] Local, int Carried, double RemoteModelAccuracy, double LocalModelAccuracy)> JobAsync(Target where, int count)
    {
        await using var job = await Ramp.DeployAsync(where, count: count);
        var local = new Ramp(count);
        var remotePixels = new List<float>();
        await foreach (var batch in job.StreamAsync(batchSize: 3))
            remotePixels.AddRange(batch.Inputs.Pixels.AsSpan<float>().ToArray());
        var localPixels = new List<float>();
        await foreach (var batch in local.StreamAsync(batchSize: 3))
            localPixels.AddRange(batch.Inputs.Pixels.AsSpan<float>().ToArray());

        await using var remoteModel = await Cutoff.DeployAsync(where, target: 0.55);
        using var localModel = new Cutoff(target: 0.55);
        var remoteReport = await job.EvaluateAsync(remoteModel);
        var localReport = await job.EvaluateAsync(localModel);
        return (remotePixels.ToArray(), localPixels.ToArray(), job.Parameters.Count, remoteReport.Metrics["accuracy"], localReport.Metrics["accuracy"]);
    }
}
