using Arc.Types;

namespace Arc.Datasets;

/// <summary>
/// Reads and writes single NumPy <c>.npy</c> files of Arc's element types (float32, float64, int32, int64, uint8,
/// bool), in C order. What this writes is byte for byte what NumPy's <c>np.save</c> writes for the same array, and
/// <c>np.load(path)</c> (no pickles) reads it; what NumPy writes in these dtypes, this reads. See docs/datasets.md.
/// </summary>
public static class Npy
{
    /// <summary>Writes <paramref name="array"/> to the new file <paramref name="path"/> (which must not exist) and flushes it to disk.</summary>
    /// <exception cref="ArgumentException"><paramref name="array"/> is a scalar (a .npy dataset array has rows).</exception>
    public static async Task WriteAsync(string path, ArcArray array, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(array);
        if (array.Rank == 0) throw new ArgumentException("a scalar has no rows; give it shape [1]", nameof(array));
        using var writer = NpyWriter.Create(path, NpyDType.Of(array.DType), array.ShapeArray()[1..]);
        await writer.AppendAsync(array.UnsafeBuffer, array.Rows, cancellationToken).ConfigureAwait(false);
        writer.Complete();
    }

    /// <summary>Reads the whole array in <paramref name="path"/>.</summary>
    /// <exception cref="DatasetFormatException">The file is truncated, corrupt, not in C order, or of a dtype Arc does not hold.</exception>
    public static ArcArray Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var file = NpyRowReader.Open(path);
        if (file.Header.DType.Element is not ArcDType dtype)
            throw new DatasetFormatException(file.Path, $"holds {file.Header.DType.Name}, not numbers or bools; open it as part of a dataset of text or tables");
        var bytes = file.ReadRows(0, file.Rows);
        try
        {
            return ArcArray.FromBytes(dtype, file.Header.Shape.Select(d => checked((int)d)).ToArray(), bytes);
        }
        catch (Exception e) when (e is ArcFormatException or OverflowException)
        {
            throw new DatasetFormatException(file.Path, e.Message, e);
        }
    }
}
