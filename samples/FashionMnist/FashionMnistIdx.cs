using System.Buffers.Binary;
using System.IO.Compression;
using Arc.Types;

namespace Arc.Samples.FashionMnist;

/// <summary>
/// Reads Fashion-MNIST from Debian's <c>dataset-fashion-mnist</c> package: gzipped IDX files (big-endian headers,
/// unsigned bytes) of 60,000 training and 10,000 test images of 28×28 pixels and their labels 0..9. Shared by the
/// sample and the tests (linked into those).
/// </summary>
public static class FashionMnistIdx
{
    /// <summary>Where the Debian package puts the files.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>Image side in pixels.</summary>
    public const int Side = 28;

    /// <summary>
    /// The labels as the files hold them, "0" .. "9" (so a model built for MNIST's digit names trains on them unchanged);
    /// <see cref="ArticleNames"/> says what each stands for.
    /// </summary>
    public static IReadOnlyList<string> ClassNames { get; } = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    /// <summary>What label i is: the article of clothing, as Fashion-MNIST's README names them.</summary>
    public static IReadOnlyList<string> ArticleNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>The images of one part (<c>train</c> or <c>t10k</c>) as raw bytes N×28×28 and the labels, the first <paramref name="limit"/> (0: all).</summary>
    /// <exception cref="FileNotFoundException">The package is not installed (the message says to run scripts/install-prereqs.sh).</exception>
    /// <exception cref="InvalidDataException">A file is not an IDX file of the expected kind.</exception>
    public static (byte[] Pixels, byte[] Labels, int Count) ReadRaw(string part, int limit = 0, string directory = DefaultDirectory)
    {
        string images = Path.Combine(directory, $"{part}-images-idx3-ubyte.gz");
        string labels = Path.Combine(directory, $"{part}-labels-idx1-ubyte.gz");
        foreach (var file in new[] { images, labels })
            if (!File.Exists(file))
                throw new FileNotFoundException($"{file} is missing: install Debian's dataset-fashion-mnist (scripts/install-prereqs.sh does)", file);
        var (pixels, imageCount) = ReadIdx(images, magic: 0x0803, rowBytes: Side * Side, limit);
        var (labelBytes, labelCount) = ReadIdx(labels, magic: 0x0801, rowBytes: 1, limit);
        if (imageCount != labelCount) throw new InvalidDataException($"{images} holds {imageCount} images but {labels} {labelCount} labels");
        foreach (byte label in labelBytes)
            if (label > 9) throw new InvalidDataException($"{labels} holds label {label}, outside 0..9");
        return (pixels, labelBytes, imageCount);
    }

    /// <summary>One part as Arc data: pixels float32 in 0..1, N×1×28×28, and the labels as <see cref="ClassNames"/>.</summary>
    public static Batch<ImageData, ClassData> Read(string part, int limit = 0, string directory = DefaultDirectory)
    {
        var (raw, labels, count) = ReadRaw(part, limit, directory);
        var pixels = new float[raw.Length];
        for (int i = 0; i < raw.Length; i++) pixels[i] = raw[i] / 255f;
        var indices = new long[count];
        for (int i = 0; i < count; i++) indices[i] = labels[i];
        return new Batch<ImageData, ClassData>(new ImageData(ArcArray.From(pixels, count, 1, Side, Side)), new ClassData(indices, ClassNames));
    }

    private static (byte[] Data, int Count) ReadIdx(string path, int magic, int rowBytes, int limit)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        int dimensions = magic & 0xff;
        var header = new byte[4 + 4 * dimensions];
        gzip.ReadExactly(header);
        int found = BinaryPrimitives.ReadInt32BigEndian(header);
        if (found != magic) throw new InvalidDataException($"{path} starts with 0x{found:x8}, not the IDX magic 0x{magic:x8}");
        int count = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4));
        int row = 1;
        for (int d = 1; d < dimensions; d++) row *= BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4 + 4 * d));
        if (row != rowBytes) throw new InvalidDataException($"{path} holds rows of {row} bytes, not {rowBytes}");
        if (limit > 0) count = Math.Min(count, limit);
        var data = new byte[(long)count * rowBytes];
        gzip.ReadExactly(data);
        return (data, count);
    }
}
