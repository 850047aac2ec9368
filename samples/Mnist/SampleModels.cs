using Arc.Registration;
using Arc.Types;

namespace Arc.Samples.Mnist;

/// <summary>
/// The sample's two models as typed registrations (what <c>Target.LocalProcess</c> deploys) and the hyperparameters
/// both the in-process and the worker part use, so the two parts build exactly the same networks.
/// </summary>
public static class SampleModels
{
    /// <summary>The MLP's registration, found by name in <see cref="ArcRegistry"/> (registered by generated code).</summary>
    public static ModelRegistration<MlpClassifier, MlpClassifier.Hyperparameters, ImageData, ClassData> Mlp => Typed<MlpClassifier, MlpClassifier.Hyperparameters>("mlpclassifier");

    /// <summary>The CNN's registration.</summary>
    public static ModelRegistration<ConvClassifier, ConvClassifier.Hyperparameters, ImageData, ClassData> Conv => Typed<ConvClassifier, ConvClassifier.Hyperparameters>("convclassifier");

    /// <summary>Default MLP hyperparameters with initial weights seeded by <paramref name="seed"/>.</summary>
    public static MlpClassifier.Hyperparameters MlpHyperparameters(int seed) => new(Seed: seed);

    /// <summary>Default CNN hyperparameters with initial weights seeded by <paramref name="seed"/>.</summary>
    public static ConvClassifier.Hyperparameters ConvHyperparameters(int seed) => new(Seed: seed);

    // The one place that looks registrations up: when the generator emits TModel.Registration, this becomes that.
    private static ModelRegistration<TModel, THyperparameters, ImageData, ClassData> Typed<TModel, THyperparameters>(string name)
        where TModel : class, ISupervisedModel<ImageData, ClassData>
        where THyperparameters : class
        => ArcRegistry.GetModel(name) as ModelRegistration<TModel, THyperparameters, ImageData, ClassData>
           ?? throw new InvalidOperationException($"model '{name}' is registered, but not as {typeof(TModel).Name}");
}
