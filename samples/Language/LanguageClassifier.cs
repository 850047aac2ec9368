using TorchSharp;
using static TorchSharp.torch;
using Arc.Sdk;
using Arc.Torch;
using Arc.Types;

namespace Arc.Samples.Language;

/// <summary>
/// Names the language of a text: each text (the vocabulary processor's words) becomes a bag of hashed features — every
/// word and the character 1-, 2- and 3-grams of each known word — normalised to unit length, and one linear layer maps
/// it to the six languages' logits, trained with Adam.
/// </summary>
[Model(Name = "language-classifier")]
public partial class LanguageClassifier : TorchClassifier<TextData>
{
    private readonly int _buckets;

    /// <summary>A classifier over <paramref name="buckets"/> hashed features, Adam at <paramref name="learningRate"/>.</summary>
    /// <param name="buckets">How many hashed features (more: fewer collisions, more weights).</param>
    /// <param name="learningRate">Adam's learning rate.</param>
    /// <param name="seed">When set, seeds torch before the layer is built, so runs repeat.</param>
    public LanguageClassifier(int buckets = 1 << 14, double learningRate = 0.01, int? seed = null)
        : base(FortuneCookies.Languages.Select(l => l.Language).ToArray())
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 16);
        _buckets = buckets;
        if (seed is int s) torch.manual_seed(s);
        Initialize(nn.Linear(buckets, FortuneCookies.Languages.Count), parameters => optim.Adam(parameters, learningRate));
    }

    /// <inheritdoc />
    protected override Tensor ToInput(TextData x)
    {
        var features = new float[x.Count * _buckets];
        for (int i = 0; i < x.Count; i++)
            TextFeatures.Add(x[i], features.AsSpan(i * _buckets, _buckets));
        return torch.tensor(features, [x.Count, _buckets], device: Device);
    }
}
