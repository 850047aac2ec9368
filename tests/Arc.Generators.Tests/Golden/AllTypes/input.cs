using System.Collections.Generic;
using Arc.Sdk;
using Arc.Types;

namespace Samples.Types;

/// <summary>An optimizer.</summary>
public enum Optimizer
{
    /// <summary>Plain gradient descent.</summary>
    Sgd,
    /// <summary>Adam.</summary>
    Adam = 5,
}

/// <summary>Flags.</summary>
[System.Flags]
public enum Augment
{
    /// <summary>None.</summary>
    None = 0,
    /// <summary>Flip.</summary>
    Flip = 1,
    /// <summary>Crop.</summary>
    Crop = 2,
}

/// <summary>Every supported hyperparameter type, with defaults that need care to copy.</summary>
[Model(Name = "all-types")]
public partial class AllTypesModel : SupervisedModel<ImageData, ClassData>
{
    private readonly string _description;

    /// <summary>Creates the model.</summary>
    public AllTypesModel(
        bool flag = true,
        sbyte tiny = -8,
        byte small = 200,
        short medium = -300,
        ushort unsignedMedium = 60000,
        int count = -1,
        uint unsignedCount = 4000000000,
        long big = long.MinValue,
        ulong huge = ulong.MaxValue,
        float ratio = 0.25f,
        double rate = 1e-5,
        double notANumber = double.NaN,
        double negativeZero = -0.0,
        double infinity = double.PositiveInfinity,
        decimal price = 12.50m,
        string name = "tab\there \"quoted\" \\ back",
        string? optionalName = null,
        Optimizer optimizer = Optimizer.Adam,
        Optimizer undefinedOptimizer = (Optimizer)7,
        Augment augment = Augment.Flip | Augment.Crop,
        Optimizer? maybeOptimizer = null,
        int? maybeCount = 3,
        int[]? sizes = null,
        IReadOnlyList<string>? tags = null,
        string?[]? holes = null,
        int[][]? jagged = null,
        ImageData? initialBatch = null,
        decimal zero = default,
        @class? keyword = null)
    {
        _description = string.Join(";", flag, tiny, small, medium, unsignedMedium, count, unsignedCount, big, huge,
            ratio.ToString(System.Globalization.CultureInfo.InvariantCulture), rate.ToString(System.Globalization.CultureInfo.InvariantCulture),
            notANumber.ToString(System.Globalization.CultureInfo.InvariantCulture), (1 / negativeZero).ToString(System.Globalization.CultureInfo.InvariantCulture),
            infinity.ToString(System.Globalization.CultureInfo.InvariantCulture), price.ToString(System.Globalization.CultureInfo.InvariantCulture),
            name, optionalName ?? "<null>", optimizer, undefinedOptimizer, augment, maybeOptimizer?.ToString() ?? "<null>", maybeCount,
            sizes is null ? "<null>" : string.Join(",", sizes), tags is null ? "<null>" : string.Join(",", tags),
            holes is null ? "<null>" : string.Join(",", System.Linq.Enumerable.Select(holes, h => h ?? "<null>")),
            jagged is null ? "<null>" : string.Join("|", System.Linq.Enumerable.Select(jagged, j => string.Join(",", j))),
            initialBatch is null ? "<null>" : initialBatch.Count.ToString(), zero, keyword?.ToString() ?? "<null>");
    }

    /// <inheritdoc />
    public override FitResult Fit(ImageData x, ClassData y) => new(0, x.Count);

    /// <inheritdoc />
    public override ClassData Predict(ImageData x) => throw new System.NotSupportedException();

    /// <inheritdoc />
    public override void SaveWeights(System.IO.Stream destination) { }

    /// <inheritdoc />
    public override void LoadWeights(System.IO.Stream source) { }

    /// <inheritdoc />
    public override string ToString() => _description;
}

/// <summary>An enum whose name is a keyword.</summary>
public enum @class
{
    /// <summary>A.</summary>
    A,
}
