using Arc.Sdk;
using Arc.Types;

namespace Arc.Samples.PodOffload;

/// <summary>
/// Pixel statistics of labelled digit images, one row per class: a <c>[Pod]</c>, so the generator also writes
/// <c>PerClassRemoteAsync(worker, images, labels, inkThreshold)</c>, which runs it wherever the worker runs.
/// </summary>
public static partial class DigitStatistics
{
    /// <summary>The columns of the result, in order.</summary>
    public static IReadOnlyList<string> Columns { get; } = ["class", "count", "mean_ink", "inked_fraction", "center_row", "center_col"];

    /// <summary>
    /// For each class of <paramref name="labels"/>: how many images it has, their mean pixel value, the share of
    /// pixels above <paramref name="inkThreshold"/>, and the ink-weighted centre (row, column) of its images.
    /// </summary>
    /// <param name="images">N×1×H×W float32 images, pixels in 0..1.</param>
    /// <param name="labels">N class labels.</param>
    /// <param name="inkThreshold">The pixel value above which a pixel counts as inked.</param>
    [Pod(Name = "mnist.class-statistics")]
    public static TableData PerClass(ImageData images, ClassData labels, float inkThreshold = 0.5f)
    {
        if (images.Count != labels.Count)
            throw new ArgumentException($"{images.Count} images but {labels.Count} labels");
        if (images.Channels != 1 || images.Pixels.DType != ArcDType.Float32)
            throw new ArgumentException($"expected one float32 channel, got {images}");
        int classes = labels.ClassNames.Count, height = images.Height, width = images.Width, size = height * width;
        var count = new long[classes];
        var ink = new double[classes];
        var inked = new long[classes];
        var rowMoment = new double[classes];
        var colMoment = new double[classes];

        ReadOnlySpan<float> pixels = images.Pixels.AsSpan<float>();
        ReadOnlySpan<long> label = labels.IndexSpan;
        for (int n = 0; n < images.Count; n++)
        {
            int c = checked((int)label[n]);
            count[c]++;
            var image = pixels.Slice(n * size, size);
            for (int i = 0; i < size; i++)
            {
                float p = image[i];
                ink[c] += p;
                if (p > inkThreshold) inked[c]++;
                rowMoment[c] += p * (i / width);
                colMoment[c] += p * (i % width);
            }
        }

        var meanInk = new double[classes];
        var inkedFraction = new double[classes];
        var centerRow = new double[classes];
        var centerCol = new double[classes];
        for (int c = 0; c < classes; c++)
        {
            meanInk[c] = count[c] == 0 ? 0 : ink[c] / (count[c] * (double)size);
            inkedFraction[c] = count[c] == 0 ? 0 : inked[c] / (count[c] * (double)size);
            centerRow[c] = ink[c] == 0 ? 0 : rowMoment[c] / ink[c];
            centerCol[c] = ink[c] == 0 ? 0 : colMoment[c] / ink[c];
        }
        return new TableData(
        [
            TableColumn.FromStrings(Columns[0], labels.ClassNames),
            TableColumn.FromValues(Columns[1], count),
            TableColumn.FromValues(Columns[2], meanInk),
            TableColumn.FromValues(Columns[3], inkedFraction),
            TableColumn.FromValues(Columns[4], centerRow),
            TableColumn.FromValues(Columns[5], centerCol),
        ]);
    }
}
