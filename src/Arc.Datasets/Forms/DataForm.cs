using System.Text.Json;
using Arc.Types;

namespace Arc.Datasets;

/// <summary>
/// How one Arc data type is stored in a dataset: its rows in one <c>.npy</c> file (the first dimension is N), and
/// its facts (<see cref="DataFacts"/>) in meta.json. One form per type (<see cref="DataForms"/>); reading a form's
/// file gives back the same batch that was written, bit for bit.
/// </summary>
internal abstract class DataForm<T> where T : IArcData<T>
{
    /// <summary>The type's tag in meta.json (its wire tag: <c>image</c>, <c>class</c>, …).</summary>
    public static string TypeTag => T.WireTag;

    /// <summary>The layout that holds <paramref name="batch"/>'s rows.</summary>
    /// <exception cref="ArgumentException">The batch holds something a dataset cannot store (e.g. class scores).</exception>
    public abstract NpyLayout LayoutOf(T batch);

    /// <summary>
    /// One layout for rows laid out as <paramref name="first"/> and as <paramref name="next"/>: the same one, or for
    /// text the wider of the two.
    /// </summary>
    /// <exception cref="ArgumentException">They cannot share a file; the message names both.</exception>
    public virtual NpyLayout Widen(NpyLayout first, NpyLayout next)
        => first.Equals(next) ? first : throw new ArgumentException($"its rows are {next}, but the first batch's were {first}");

    /// <summary><paramref name="batch"/>'s facts.</summary>
    public virtual DataFacts FactsOf(T batch) => DataFacts.None;

    /// <summary>The C-order bytes of <paramref name="batch"/>'s rows in <paramref name="layout"/> (which holds them).</summary>
    public abstract ReadOnlyMemory<byte> RowsOf(T batch, NpyLayout layout);

    /// <summary>Whether a file of <paramref name="layout"/> can hold this type; null when it can, else why not.</summary>
    public abstract string? Rejects(NpyLayout layout, DataFacts facts);

    /// <summary>The batch of <paramref name="rows"/> rows whose bytes are <paramref name="bytes"/> (owned from now on).</summary>
    /// <exception cref="ArgumentException">The bytes do not make a valid batch (e.g. a class index beyond the names).</exception>
    /// <exception cref="ArcFormatException">Likewise, found by the array itself (e.g. a bool byte other than 0 or 1).</exception>
    public abstract T FromRows(NpyLayout layout, int rows, byte[] bytes, DataFacts facts);

    /// <summary>
    /// Writes the facts' members into meta.json's object for this part (<c>"class_names": […]</c>); they are read back
    /// by <see cref="FactsJson"/>, and <see cref="Rejects"/> says when one the type needs is missing.
    /// </summary>
    public virtual void WriteFacts(Utf8JsonWriter json, DataFacts facts) { }
}

/// <summary>A type whose rows are one <see cref="ArcArray"/> (images, classes, labels, audio, video).</summary>
internal abstract class ArrayForm<T> : DataForm<T> where T : IArcData<T>
{
    /// <summary>Dimensions of one row (the array's rank minus one).</summary>
    protected abstract int RowRank { get; }

    /// <summary>The array holding <paramref name="batch"/>'s rows.</summary>
    protected abstract ArcArray ArrayOf(T batch);

    /// <summary>The batch over <paramref name="array"/>.</summary>
    protected abstract T Build(ArcArray array, DataFacts facts);

    /// <summary>Whether the type holds elements of <paramref name="dtype"/>.</summary>
    protected virtual bool Holds(ArcDType dtype) => true;

    public override NpyLayout LayoutOf(T batch)
    {
        var array = ArrayOf(batch);
        return new NpyLayout(NpyDType.Of(array.DType), array.ShapeArray()[1..]);
    }

    public override ReadOnlyMemory<byte> RowsOf(T batch, NpyLayout layout) => ArrayOf(batch).UnsafeBuffer;

    public override string? Rejects(NpyLayout layout, DataFacts facts)
        => layout.DType.Element is not ArcDType dtype || !Holds(dtype) ? $"holds {layout.DType.Name}, which {typeof(T).Name} does not"
            : layout.RowShape.Length != RowRank ? $"has rows of {layout.RowShape.Length} dimensions; {typeof(T).Name} rows have {RowRank}"
            : null;

    public override T FromRows(NpyLayout layout, int rows, byte[] bytes, DataFacts facts)
        => Build(ArcArray.FromBytes(layout.DType.Element!.Value, [rows, .. layout.RowShape], bytes), facts);
}
