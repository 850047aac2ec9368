using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Arc.Sdk;
using Arc.Types;

namespace Samples.Contracts;

/// <summary>A digit classifier that states the images it takes and the classes it returns.</summary>
[Model]
[ImageContract(Channels = 1, Height = 28, Width = 28, DType = ArcDType.Float32)]
[ClassContract("zero", "one", "two")]
public partial class DigitModel : SupervisedModel<ImageData, ClassData>
{
    /// <inheritdoc />
    public override FitResult Fit(ImageData x, ClassData y) => new(0, x.Count);
    /// <inheritdoc />
    public override ClassData Predict(ImageData x) => throw new System.NotSupportedException();
    /// <inheritdoc />
    public override void SaveWeights(Stream destination) { }
    /// <inheritdoc />
    public override void LoadWeights(Stream source) { }
}

/// <summary>A table regression whose X and Y are both tables: Side says which is which.</summary>
[Model(Name = "prices")]
[TableContract("area:float64", "rooms:int64", "city:string")]
[TableContract("price:float32", Side = DataSide.Y)]
public partial class PriceModel : SupervisedModel<TableData, TableData>
{
    /// <inheritdoc />
    public override FitResult Fit(TableData x, TableData y) => new(0, x.Count);
    /// <inheritdoc />
    public override TableData Predict(TableData x) => x;
    /// <inheritdoc />
    public override void SaveWeights(Stream destination) { }
    /// <inheritdoc />
    public override void LoadWeights(Stream source) { }
}

/// <summary>A job of short texts with labels.</summary>
[Job]
[TextContract(MaxLength = 280)]
[ClassContract("spam", "ham")]
public partial class ShortTexts : SupervisedJob<TextData, LabelData>
{
    /// <inheritdoc />
    protected override ValueTask<Batch<TextData, LabelData>> LoadSplitAsync(DataSplit split, CancellationToken cancellationToken)
        => throw new System.NotSupportedException();
}
