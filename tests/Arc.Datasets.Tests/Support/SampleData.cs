using Arc.Types;

namespace Arc.Datasets.Tests.Support;

/// <summary>Small batches of every data type a dataset stores, whose samples say who they are (sample i carries i).</summary>
internal static class SampleData
{
    public static readonly string[] Classes = ["cat", "dog", "ünïcørn"];

    /// <summary>N 1×2×3 float32 images, image i filled with i + its pixel / 10, and classes i mod 3.</summary>
    public static Batch<ImageData, ClassData> Images(int n, int first = 0)
    {
        var pixels = new float[n * 6];
        var classes = new long[n];
        for (int i = 0; i < n; i++)
        {
            for (int p = 0; p < 6; p++) pixels[i * 6 + p] = first + i + p / 10f;
            classes[i] = (first + i) % Classes.Length;
        }
        return new(new ImageData(ArcArray.From(pixels, n, 1, 2, 3)), new ClassData(classes, Classes));
    }

    /// <summary>The sample number each image carries.</summary>
    public static int[] Ids(ImageData images)
    {
        var pixels = images.Pixels.ToArray<float>();
        int perImage = images.Pixels.RowBytes / 4;
        return Enumerable.Range(0, images.Count).Select(i => (int)pixels[i * perImage]).ToArray();
    }

    /// <summary>N texts of growing length (text i repeats its number i + 1 times, with characters outside the BMP), and labels.</summary>
    public static Batch<TextData, LabelData> Texts(int n, int first = 0)
    {
        var texts = Enumerable.Range(first, n).Select(i => string.Concat(Enumerable.Repeat($"{i}🐟é ", i % 7 + 1)) + (i % 5 == 0 ? "\0inside" : "")).ToArray();
        var labels = Enumerable.Range(first, n).Select(i => (IEnumerable<string>)(i % 2 == 0 ? ["even"] : ["odd", "prime?"])).ToArray();
        return new(new TextData(texts), LabelData.FromNameSets(labels, ["even", "odd", "prime?"]));
    }

    /// <summary>N table rows of every column kind, and classes.</summary>
    public static Batch<TableData, ClassData> Table(int n, int first = 0)
    {
        var ids = Enumerable.Range(first, n).ToArray();
        var table = new TableData(n, new[]
        {
            TableColumn.FromValues("id", ids.Select(i => (long)i).ToArray()),
            TableColumn.FromValues("x", ids.Select(i => i * 0.5f - 1f).ToArray()),
            TableColumn.FromValues("big", ids.Select(i => i * 1e200).ToArray()),
            TableColumn.FromValues("small", ids.Select(i => -i).ToArray()),
            TableColumn.FromValues("byte", ids.Select(i => (byte)i).ToArray()),
            TableColumn.FromValues("flag", ids.Select(i => i % 2 == 1).ToArray()),
            TableColumn.FromStrings("name", ids.Select(i => new string('n', i % 9) + "😀").ToArray()),
        });
        return new(table, new ClassData(ids.Select(i => (long)(i % 3)).ToArray(), Classes));
    }

    /// <summary>N stereo clips of 4 samples at 8 kHz, and labels as uint8.</summary>
    public static Batch<AudioData, LabelData> Audio(int n)
    {
        var samples = Enumerable.Range(0, n * 8).Select(i => MathF.Sin(i)).ToArray();
        var labels = Enumerable.Range(0, n * 2).Select(i => (byte)(i % 3 == 0 ? 1 : 0)).ToArray();
        return new(new AudioData(ArcArray.From(samples, n, 2, 4), 8000), new LabelData(ArcArray.From(labels, n, 2), ["speech", "music"]));
    }

    /// <summary>N uint8 clips of 2 frames of 1×2×2 at 29.97 fps, and classes.</summary>
    public static Batch<VideoData, ClassData> Video(int n)
    {
        var frames = Enumerable.Range(0, n * 8).Select(i => (byte)(i * 37)).ToArray();
        return new(new VideoData(ArcArray.From(frames, n, 2, 1, 2, 2), 29.97), new ClassData(Enumerable.Range(0, n).Select(i => (long)(i % 3)).ToArray(), Classes));
    }

    /// <summary>Yields <paramref name="batches"/> one by one, as a streamed source would.</summary>
    public static async IAsyncEnumerable<Batch<X, Y>> Stream<X, Y>(params Batch<X, Y>[] batches)
        where X : IArcData<X>
        where Y : IArcData<Y>
    {
        foreach (var batch in batches)
        {
            await Task.Yield();
            yield return batch;
        }
    }

    /// <summary>Every batch of <paramref name="split"/> of <paramref name="job"/>, in stored order, joined.</summary>
    public static async Task<Batch<X, Y>> ReadAllAsync<X, Y>(Arc.Sdk.ISupervisedJob<X, Y> job, Arc.Sdk.DataSplit split, int batchSize = 3)
        where X : IArcData<X>
        where Y : IArcData<Y>
    {
        var xs = new List<X>();
        var ys = new List<Y>();
        await foreach (var (x, y) in job.StreamAsync(batchSize, split, shuffleSeed: null, TestContext.Current.CancellationToken))
        {
            xs.Add(x);
            ys.Add(y);
        }
        return new(X.Concat(xs), Y.Concat(ys));
    }
}
