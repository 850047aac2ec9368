using Arc.Sdk;
using Arc.Types;

/// <summary>A container in the global namespace.</summary>
public static partial class Zoo
{
    /// <summary>A nested model with a parameterless constructor and its own Name.</summary>
    [Model(Name = "zoo.base")]
    public partial class BaseModel : SupervisedModel<ImageData, ClassData>
    {
        /// <inheritdoc />
        public override string Name => "custom";

        /// <inheritdoc />
        public override FitResult Fit(ImageData x, ClassData y) => new(0, x.Count);

        /// <inheritdoc />
        public override ClassData Predict(ImageData x) => throw new System.NotSupportedException();

        /// <inheritdoc />
        public override void SaveWeights(System.IO.Stream destination) { }

        /// <inheritdoc />
        public override void LoadWeights(System.IO.Stream source) { }
    }

    /// <summary>A model deriving from another model: its generated members hide the base's.</summary>
    [Model]
    internal sealed partial class DerivedModel : BaseModel
    {
        /// <summary>Creates the model.</summary>
        public DerivedModel(int depth = 2) => Depth = depth;

        /// <summary>The depth.</summary>
        public int Depth { get; }
    }

    /// <summary>An open model with one parameter, for a derived model with the same parameter types.</summary>
    [Model]
    internal partial class LayeredModel : BaseModel
    {
        /// <summary>Creates the model.</summary>
        public LayeredModel(int layers = 1) => Layers = layers;

        /// <summary>The number of layers.</summary>
        public int Layers { get; }
    }

    /// <summary>Same constructor parameter types as its base: its DeployAsync(target, int) and DevelopAsync(target, int) hide the base's.</summary>
    [Model]
    internal sealed partial class DeeperModel : LayeredModel
    {
        /// <summary>Creates the model.</summary>
        public DeeperModel(int layers = 4) : base(layers) { }
    }
}
