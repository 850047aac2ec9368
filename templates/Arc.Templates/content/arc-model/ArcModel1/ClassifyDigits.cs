using Arc.Sdk;
using Arc.Types;

namespace ArcModel1;

/// <summary>
/// Classify digits: 8×8 grey images (N×1×8×8, float32 in 0..1) to the classes "0".."9". The digits are drawn here from a
/// 5×7 font, shifted and blurred with noise, so the project needs no download; replace <see cref="LoadSplitAsync"/> with
/// your own data.
/// </summary>
[Job]
public partial class ClassifyDigits : SupervisedJob<ImageData, ClassData>
{
    /// <summary>The classes, in index order.</summary>
    public static readonly string[] ClassNames = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    /// <summary>Image side in pixels.</summary>
    public const int Side = 8;

    private readonly int _perDigit;
    private readonly int _seed;

    /// <summary>A job with <paramref name="perDigit"/> training images of each digit (a third as many to test).</summary>
    /// <param name="perDigit">Training images per digit.</param>
    /// <param name="seed">Seeds the drawing, so the same parameters give the same images everywhere.</param>
    public ClassifyDigits(int perDigit = 100, int seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perDigit, 3);
        _perDigit = perDigit;
        _seed = seed;
    }

    /// <inheritdoc />
    protected override ValueTask<Batch<ImageData, ClassData>> LoadSplitAsync(DataSplit split, CancellationToken cancellationToken) => split switch
    {
        DataSplit.Train => ValueTask.FromResult(Draw(_perDigit, _seed)),
        // Another seed: the test images are not the training images.
        DataSplit.Test => ValueTask.FromResult(Draw(_perDigit / 3, _seed + 1_000_003)),
        _ => throw new NotSupportedException($"{nameof(ClassifyDigits)} has train and test splits only, not {split}"),
    };

    private static Batch<ImageData, ClassData> Draw(int perDigit, int seed)
    {
        var random = new Random(seed);
        int count = perDigit * ClassNames.Length;
        var pixels = new float[count * Side * Side];
        var labels = new long[count];
        for (int i = 0; i < count; i++)
        {
            int digit = i % ClassNames.Length;
            labels[i] = digit;
            Span<float> image = pixels.AsSpan(i * Side * Side, Side * Side);
            int dx = random.Next(0, Side - Font.Width + 1), dy = random.Next(0, Side - Font.Height + 1);
            for (int y = 0; y < Font.Height; y++)
                for (int x = 0; x < Font.Width; x++)
                    if (Font.Glyphs[digit][y][x] == '#')
                        image[(y + dy) * Side + x + dx] = 0.7f + 0.3f * random.NextSingle();
            for (int p = 0; p < image.Length; p++)
                image[p] = Math.Clamp(image[p] + 0.15f * (random.NextSingle() - 0.5f), 0f, 1f);
        }
        return new Batch<ImageData, ClassData>(new ImageData(ArcArray.From(pixels, count, 1, Side, Side)), new ClassData(labels, ClassNames));
    }

    /// <summary>A 5×7 pixel font for the ten digits.</summary>
    private static class Font
    {
        public const int Width = 5, Height = 7;

        public static readonly string[][] Glyphs =
        [
            [".###.", "#...#", "#..##", "#.#.#", "##..#", "#...#", ".###."],
            ["..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."],
            [".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####"],
            ["#####", "...#.", "..#..", "...#.", "....#", "#...#", ".###."],
            ["...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."],
            ["#####", "#....", "####.", "....#", "....#", "#...#", ".###."],
            ["..##.", ".#...", "#....", "####.", "#...#", "#...#", ".###."],
            ["#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..."],
            [".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###."],
            [".###.", "#...#", "#...#", ".####", "....#", "...#.", ".##.."],
        ];
    }
}
