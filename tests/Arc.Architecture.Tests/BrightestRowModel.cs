using Arc.Types;

namespace Arc.Architecture.Tests;

/// <summary>A model whose answer a test can recompute: each 1×H×W image's class is its row with the largest pixel sum.</summary>
internal sealed class BrightestRowModel : SupervisedModel<ImageData, ClassData>
{
    public override FitResult Fit(ImageData x, ClassData y) => new(0, x.Count);

    public override ClassData Predict(ImageData x)
    {
        var shape = x.Pixels.Shape;
        int count = shape[0], rows = shape[2], width = shape[3];
        var pixels = x.Pixels.AsSpan<float>();
        var classes = new long[count];
        for (int n = 0; n < count; n++)
        {
            float best = float.NegativeInfinity;
            for (int r = 0; r < rows; r++)
            {
                float sum = 0;
                for (int c = 0; c < width; c++) sum += pixels[(n * rows + r) * width + c];
                if (sum > best) (best, classes[n]) = (sum, r);
            }
        }
        return new ClassData(ArcArray.From(classes, count), Enumerable.Range(0, rows).Select(r => $"row{r}").ToArray());
    }

    public override void SaveWeights(Stream destination) { }

    public override void LoadWeights(Stream source) { }
}
