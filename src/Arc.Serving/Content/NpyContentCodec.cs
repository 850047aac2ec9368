using Arc.Datasets;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Serving;

/// <summary>
/// <c>application/x-npy</c>: a NumPy <c>.npy</c> file (what <c>np.save</c> writes). Reads <see cref="ImageData"/> from
/// an N×C×H×W array (N×H×W is one channel); writes <see cref="ImageData"/>'s pixels, <see cref="ClassData"/>'s class
/// indices (int64, N) and <see cref="LabelData"/>'s multi-hot rows. Goes through Arc.Datasets' reader and writer, the
/// project's one implementation of the format, by way of a private temporary file (bodies are size-limited).
/// </summary>
internal sealed class NpyContentCodec : IContentCodec
{
    public string ContentType => ContentTypes.Npy;

    public bool CanRead<T>() where T : class, IArcData<T> => typeof(T) == typeof(ImageData);

    public bool CanWrite<T>() where T : class, IArcData<T> => typeof(T) == typeof(ImageData) || typeof(T) == typeof(ClassData) || typeof(T) == typeof(LabelData);

    public T Read<T>(ReadOnlyMemory<byte> data, ValueContract? contract) where T : class, IArcData<T>
    {
        string path = TemporaryPath();
        try
        {
            using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                file.Write(data.Span);
            ArcArray array;
            try { array = Npy.Read(path); }
            catch (DatasetFormatException e) { throw new ArcFormatException("application/x-npy body " + e.Message[(path.Length + 2)..], e); }
            return (T)(object)(array.Rank switch
            {
                4 => new ImageData(array),
                3 => new ImageData(ArcArray.FromBytes(array.DType, [array.Shape[0], 1, array.Shape[1], array.Shape[2]], array.UnsafeBuffer.ToArray())),
                _ => throw new ArcFormatException($"application/x-npy body has shape ({string.Join(", ", array.ShapeArray())}); images are N×C×H×W or N×H×W"),
            });
        }
        finally
        {
            File.Delete(path);
        }
    }

    public byte[] Write<T>(T value) where T : class, IArcData<T>
    {
        ArcArray array = value switch
        {
            ImageData images => images.Pixels,
            ClassData classes => classes.Indices,
            LabelData labels => labels.Labels,
            _ => throw new NotSupportedException($"application/x-npy cannot hold {typeof(T).Name}"),
        };
        string path = TemporaryPath();
        try
        {
            Npy.WriteAsync(path, array).GetAwaiter().GetResult();
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string TemporaryPath() => Path.Combine(Path.GetTempPath(), $"arc-serving-{Environment.ProcessId}-{Guid.NewGuid():N}.npy");
}
