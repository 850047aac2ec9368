using Arc.Sdk.Tests.Remote;
using TorchSharp;
using Arc.Types;

namespace Arc.Sdk.Tests.Torch;

/// <summary>
/// A LoadWeights that fails part-way, in process, leaves every previous weight serving: the same predictions, value for
/// value, and the same saved bytes. The damaged inputs (<see cref="DamagedWeights"/>) fail only after TorchSharp's own
/// loader would already have copied some entries in.
/// </summary>
public sealed class AtomicLoadWeightsTests
{
    private static readonly ImageData Images = RemoteTestData.Images(6, 4, 4, seed: 21).Images;

    private static byte[] Saved(WorkerMlp model)
    {
        using var stream = new MemoryStream();
        model.SaveWeights(stream);
        return stream.ToArray();
    }

    [Theory]
    [MemberData(nameof(DamagedWeights.Names), MemberType = typeof(DamagedWeights))]
    public void A_failed_load_leaves_the_previous_weights_in_place(string damage)
    {
        var (bytes, expected) = DamagedWeights.Cases[damage];
        torch.manual_seed(3);
        using var model = new WorkerMlp(DamagedWeights.Hidden);
        var before = model.Predict(Images);
        var savedBefore = Saved(model);

        var e = Assert.Throws<InvalidDataException>(() => model.LoadWeights(new MemoryStream(bytes)));

        Assert.Contains("the weights do not fit WorkerMlp", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.Contains("the model keeps its previous weights", e.Message);
        var after = model.Predict(Images);
        Assert.Equal(before.IndexSpan.ToArray(), after.IndexSpan.ToArray());
        Assert.Equal(before.Scores!.AsSpan<float>().ToArray(), after.Scores!.AsSpan<float>().ToArray());
        Assert.Equal(savedBefore, Saved(model));
    }

    [Fact]
    public void The_undamaged_weights_load_and_change_the_predictions()
    {
        // The other tests compare against "unchanged": this shows the foreign weights would change what the model predicts.
        torch.manual_seed(3);
        using var model = new WorkerMlp(DamagedWeights.Hidden);
        var before = model.Predict(Images).Scores!.AsSpan<float>().ToArray();

        model.LoadWeights(new MemoryStream(DamagedWeights.Foreign));

        Assert.NotEqual(before, model.Predict(Images).Scores!.AsSpan<float>().ToArray());
        Assert.Equal(DamagedWeights.Foreign, Saved(model));
    }

    [Fact]
    public void A_model_keeps_training_the_loaded_weights()
    {
        // The load copies into the network's own tensors, so the optimizer still holds the parameters that predict.
        torch.manual_seed(5);
        using var model = new WorkerMlp(DamagedWeights.Hidden);
        model.LoadWeights(new MemoryStream(DamagedWeights.Foreign));
        var targets = new ClassData(new long[] { 0, 1, 2, 0, 1, 2 }, WorkerMlp.Classes);

        model.Fit(Images, targets);

        Assert.NotEqual(DamagedWeights.Foreign, Saved(model));
    }
}
