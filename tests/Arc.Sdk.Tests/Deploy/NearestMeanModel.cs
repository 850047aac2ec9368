using Arc.Sdk;
using Arc.Types;

namespace Arc.Sdk.Tests.Deploy;

/// <summary>
/// A small registered model without torch, for worker images (which then need no libtorch): an image's feature is
/// its mean pixel plus the <c>offset</c> hyperparameter; Fit sets each class's centroid to the mean feature of its
/// samples, and Predict picks the nearest centroid. Before any fit the centroids sit evenly on [0, 1].
/// </summary>
[Model]
public partial class NearestMeanModel : SupervisedModel<ImageData, ClassData>
{
    private readonly float _offset;
    private readonly float[] _centroids;
    private readonly string[] _names;

    /// <summary>A model over <paramref name="classes"/> classes whose features are shifted by <paramref name="offset"/>.</summary>
    public NearestMeanModel(int classes = 4, float offset = 0f)
    {
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, "at least two classes");
        _offset = offset;
        _centroids = Enumerable.Range(0, classes).Select(c => (float)c / (classes - 1)).ToArray();
        _names = Enumerable.Range(0, classes).Select(c => $"level{c}").ToArray();
    }

    /// <inheritdoc />
    public override FitResult Fit(ImageData x, ClassData y)
    {
        var features = Features(x);
        var truth = y.IndexSpan.ToArray();
        var predicted = Nearest(features);
        int wrong = predicted.Where((p, i) => p != truth[i]).Count();
        for (int c = 0; c < _centroids.Length; c++)
        {
            var members = features.Where((_, i) => truth[i] == c).ToArray();
            if (members.Length > 0) _centroids[c] = members.Average();
        }
        return new FitResult((double)wrong / features.Length, features.Length);
    }

    /// <inheritdoc />
    public override ClassData Predict(ImageData x) => new(Nearest(Features(x)), _names);

    /// <inheritdoc />
    public override void SaveWeights(Stream destination)
    {
        using var writer = new BinaryWriter(destination, System.Text.Encoding.UTF8, leaveOpen: true);
        foreach (var centroid in _centroids) writer.Write(centroid);
    }

    /// <inheritdoc />
    public override void LoadWeights(Stream source)
    {
        using var reader = new BinaryReader(source, System.Text.Encoding.UTF8, leaveOpen: true);
        for (int c = 0; c < _centroids.Length; c++) _centroids[c] = reader.ReadSingle();
    }

    private float[] Features(ImageData x)
    {
        if (x.Pixels.DType != ArcDType.Float32) throw new ArgumentException($"expected float32 images, got {x}", nameof(x));
        var pixels = x.Pixels.AsSpan<float>();
        int per = pixels.Length / x.Count;
        var features = new float[x.Count];
        for (int i = 0; i < x.Count; i++)
        {
            float sum = 0;
            foreach (var p in pixels.Slice(i * per, per)) sum += p;
            features[i] = sum / per + _offset;
        }
        return features;
    }

    private long[] Nearest(float[] features)
        => features.Select(f => (long)Enumerable.Range(0, _centroids.Length).MinBy(c => Math.Abs(_centroids[c] - f))).ToArray();
}
