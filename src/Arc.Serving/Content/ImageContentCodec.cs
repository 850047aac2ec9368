using Arc.Sdk;
using Arc.Types;
using SkiaSharp;

namespace Arc.Serving;

/// <summary>
/// <c>image/png</c> or <c>image/jpeg</c> → <see cref="ImageData"/> of one image, decoded with SkiaSharp as the
/// command line's <c>infer</c> decodes files: pixels in 0..1, grey by luma or RGB. The model's image contract fixes the
/// channels, height and width (the image is resized to them); without one the image keeps its own size and is grey
/// when it is stored grey, else RGB. Images are read only: an answer is never an image.
/// </summary>
internal sealed class ImageContentCodec(string contentType) : IContentCodec
{
    public string ContentType { get; } = contentType;

    public bool CanRead<T>() where T : class, IArcData<T> => typeof(T) == typeof(ImageData);

    public bool CanWrite<T>() where T : class, IArcData<T> => false;

    public T Read<T>(ReadOnlyMemory<byte> data, ValueContract? contract) where T : class, IArcData<T>
    {
        if (data.IsEmpty) throw new ArcFormatException($"{ContentType} body is empty");
        using var stream = new SKMemoryStream(data.ToArray());
        using var codec = SKCodec.Create(stream)
            ?? throw new ArcFormatException($"{ContentType} body cannot be decoded as an image ({data.Length} bytes)");
        var image = contract as ImageContract;
        int width = image?.Width ?? codec.Info.Width, height = image?.Height ?? codec.Info.Height;
        int channels = image?.Channels ?? (codec.Info.ColorType is SKColorType.Gray8 or SKColorType.Alpha8 ? 1 : 3);
        if (channels is not (1 or 3))
            throw new ArcFormatException($"the model takes {channels}-channel images; {ContentType} bodies decode to grey (1) or RGB (3)");
        using var decoded = SKBitmap.Decode(codec)
            ?? throw new ArcFormatException($"{ContentType} body cannot be decoded as an image ({data.Length} bytes)");
        using var pixels = decoded.Width == width && decoded.Height == height && decoded.ColorType == SKColorType.Rgba8888
            ? decoded.Copy()
            : decoded.Resize(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        var values = new float[channels * height * width];
        var rgba = pixels.GetPixelSpan();
        for (int i = 0; i < height * width; i++)
        {
            byte r = rgba[i * 4], g = rgba[i * 4 + 1], b = rgba[i * 4 + 2];
            if (channels == 1)
                values[i] = (0.299f * r + 0.587f * g + 0.114f * b) / 255f;
            else
            {
                values[i] = r / 255f;
                values[height * width + i] = g / 255f;
                values[2 * height * width + i] = b / 255f;
            }
        }
        return (T)(object)new ImageData(ArcArray.From(values, 1, channels, height, width));
    }

    public byte[] Write<T>(T value) where T : class, IArcData<T> => throw new NotSupportedException($"answers are never {ContentType}");
}
