using Arc.Sdk;
using Arc.Types;

namespace Arc.Sdk.Tests.Contracts;

/// <summary>
/// An image classifier stating its contract: 1×4×4 float32 images in, classes "dark" and "light" out. Predict
/// thresholds the mean pixel; Fit counts its calls, so a test can tell whether a refused batch reached it.
/// </summary>
[Model]
[ImageContract(Channels = 1, Height = 4, Width = 4, DType = ArcDType.Float32)]
[ClassContract("dark", "light")]
public partial class ContractImageModel : SupervisedModel<ImageData, ClassData>
{
    /// <summary>The class names the contract states.</summary>
    public static readonly string[] Names = ["dark", "light"];

    /// <summary>How many Fit and Predict calls reached the model.</summary>
    public int Calls { get; private set; }

    /// <inheritdoc />
    public override FitResult Fit(ImageData x, ClassData y)
    {
        Calls++;
        return new FitResult(0.5, x.Count);
    }

    /// <inheritdoc />
    public override ClassData Predict(ImageData x)
    {
        Calls++;
        var pixels = x.Pixels.AsSpan<float>();
        int per = x.Channels * x.Height * x.Width;
        var classes = new long[x.Count];
        for (int i = 0; i < x.Count; i++)
        {
            double sum = 0;
            for (int k = 0; k < per; k++) sum += pixels[i * per + k];
            classes[i] = sum / per > 0.5 ? 1 : 0;
        }
        return new ClassData(classes, Names);
    }

    /// <inheritdoc />
    public override void SaveWeights(Stream destination) => destination.WriteByte(1);

    /// <inheritdoc />
    public override void LoadWeights(Stream source)
    {
        if (source.ReadByte() != 1) throw new InvalidDataException("not the weights of ContractImageModel");
    }
}

/// <summary>
/// A tabular classifier of 13 float32 features (the repro): without its contract a one-column table reached a
/// matrix product and failed as <c>Internal</c> with libtorch's text; this one fails the same way (an
/// <see cref="InvalidOperationException"/> with a shape message) should a misfit ever reach it.
/// </summary>
[Model]
[TableContract("f0:float32", "f1:float32", "f2:float32", "f3:float32", "f4:float32", "f5:float32", "f6:float32",
    "f7:float32", "f8:float32", "f9:float32", "f10:float32", "f11:float32", "f12:float32")]
public partial class ContractTableModel : SupervisedModel<TableData, ClassData>
{
    /// <summary>The 13 columns the contract states.</summary>
    public static TableData Table(int rows, int columns = 13)
        => new(rows, Enumerable.Range(0, columns).Select(c => TableColumn.FromValues($"f{c}", Enumerable.Range(0, rows).Select(r => (float)(r + c)).ToArray())).ToArray());

    /// <inheritdoc />
    public override FitResult Fit(TableData x, ClassData y) => new(Sum(x), x.Count);

    /// <inheritdoc />
    public override ClassData Predict(TableData x)
    {
        Sum(x);
        return new ClassData(new long[x.Count], ["no", "yes"]);
    }

    private static double Sum(TableData x)
    {
        if (x.Columns.Count != 13)
            throw new InvalidOperationException($"mat1 and mat2 shapes cannot be multiplied ({x.Count}x{x.Columns.Count} and 13x32)");
        return x.Columns.Sum(c => c.Values!.AsSpan<float>().ToArray().Sum());
    }

    /// <inheritdoc />
    public override void SaveWeights(Stream destination) { }

    /// <inheritdoc />
    public override void LoadWeights(Stream source) { }
}

/// <summary>A text tagger: texts of at most 8 characters in, labels "short" and "vowel" out.</summary>
[Model]
[TextContract(MaxLength = 8)]
[ClassContract("short", "vowel")]
public partial class ContractTextModel : SupervisedModel<TextData, LabelData>
{
    /// <summary>The label names the contract states.</summary>
    public static readonly string[] Names = ["short", "vowel"];

    /// <inheritdoc />
    public override FitResult Fit(TextData x, LabelData y) => new(0, x.Count);

    /// <inheritdoc />
    public override LabelData Predict(TextData x)
        => LabelData.FromNameSets(x.Texts.Select(t => (IEnumerable<string>)Tags(t)).ToArray(), Names);

    private static List<string> Tags(string text)
    {
        var tags = new List<string>();
        if (text.Length <= 3) tags.Add("short");
        if (text.Length > 0 && "aeiou".Contains(text[0])) tags.Add("vowel");
        return tags;
    }

    /// <inheritdoc />
    public override void SaveWeights(Stream destination) { }

    /// <inheritdoc />
    public override void LoadWeights(Stream source) { }
}

/// <summary>A job of 1×4×4 images whose classes are named "cat" and "dog": other names than <see cref="ContractImageModel"/>'s.</summary>
[Job]
[ImageContract(Channels = 1, Height = 4, Width = 4)]
[ClassContract("cat", "dog")]
public partial class ContractPetsJob : SupervisedJob<ImageData, ClassData>
{
    /// <inheritdoc />
    protected override ValueTask<Batch<ImageData, ClassData>> LoadSplitAsync(DataSplit split, CancellationToken cancellationToken)
        => ValueTask.FromResult(new Batch<ImageData, ClassData>(
            new ImageData(ArcArray.From(new float[8 * 16], 8, 1, 4, 4)), new ClassData(new long[8], ["cat", "dog"])));
}
