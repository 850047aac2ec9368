using Arc.Types;

namespace Arc.Sdk.Tests.Support;

/// <summary>A model's weights as bytes, so that two models can be compared exactly.</summary>
internal static class ModelWeights
{
    /// <summary>What <paramref name="model"/>'s <c>SaveWeightsAsync</c> writes.</summary>
    public static async Task<byte[]> Of(ISupervisedModel<ImageData, ClassData> model)
    {
        using var weights = new MemoryStream();
        await model.SaveWeightsAsync(weights, TestContext.Current.CancellationToken);
        return weights.ToArray();
    }
}
