namespace Arc.Datasets;

/// <summary>How the rows of one split part are laid out in its <c>.npy</c> file: the dtype and the dimensions after N.</summary>
internal sealed class NpyLayout(NpyDType dtype, int[] rowShape) : IEquatable<NpyLayout>
{
    /// <summary>The element type.</summary>
    public NpyDType DType { get; } = dtype;

    /// <summary>The dimensions after the first (N).</summary>
    public int[] RowShape { get; } = rowShape;

    /// <summary>Bytes per row.</summary>
    public long RowBytes => RowShape.Aggregate((long)DType.ItemSize, (n, d) => checked(n * d));

    /// <inheritdoc />
    public bool Equals(NpyLayout? other) => other is not null && other.DType.Equals(DType) && other.RowShape.AsSpan().SequenceEqual(RowShape);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as NpyLayout);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(DType, RowShape.Length);

    /// <inheritdoc />
    public override string ToString() => $"{DType.Name} rows of [{string.Join(", ", RowShape)}]";
}
