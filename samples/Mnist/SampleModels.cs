using Arc.Sdk;
using Arc.Types;

namespace Arc.Samples.Mnist;

/// <summary>
/// The sample's two models as typed registrations (what <c>Target.LocalProcess</c> deploys) and the hyperparameters
/// both the in-process and the worker part use, so the two parts build exactly the same networks.
/// </summary>
public static class SampleModels
{
    /// <summary>The MLP's registration (generated from the [Model] class).</summary>
    public static ModelRegistration<MlpClassifier, MlpClassifier.Hyperparameters, ImageData, ClassData> Mlp => MlpClassifier.Registration;

    /// <summary>The CNN's registration.</summary>
    public static ModelRegistration<ConvClassifier, ConvClassifier.Hyperparameters, ImageData, ClassData> Conv => ConvClassifier.Registration;

    /// <summary>Default MLP hyperparameters with initial weights seeded by <paramref name="seed"/>.</summary>
    public static MlpClassifier.Hyperparameters MlpHyperparameters(int seed) => new(Seed: seed);

    /// <summary>Default CNN hyperparameters with initial weights seeded by <paramref name="seed"/>.</summary>
    public static ConvClassifier.Hyperparameters ConvHyperparameters(int seed) => new(Seed: seed);
}
