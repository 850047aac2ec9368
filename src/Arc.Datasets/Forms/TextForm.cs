using Arc.Types;

namespace Arc.Datasets;

/// <summary><see cref="TextData"/>: one fixed-width text element per sample (<c>&lt;U<i>w</i></c>, shape [N]), <i>w</i> the longest text.</summary>
internal sealed class TextForm : DataForm<TextData>
{
    public override NpyLayout LayoutOf(TextData batch)
    {
        int width = 1; // NumPy has no zero-width text dtype in arrays
        for (int i = 0; i < batch.Count; i++)
        {
            TextCodePoints.Check(batch[i], $"text {i}");
            width = Math.Max(width, TextCodePoints.Count(batch[i]));
        }
        return new NpyLayout(NpyDType.Text(width), []);
    }

    public override NpyLayout Widen(NpyLayout first, NpyLayout next)
        => new(NpyDType.Text(Math.Max(first.DType.TextWidth, next.DType.TextWidth)), []);

    public override ReadOnlyMemory<byte> RowsOf(TextData batch, NpyLayout layout)
    {
        int size = layout.DType.ItemSize;
        var bytes = new byte[checked(batch.Count * size)];
        for (int i = 0; i < batch.Count; i++) TextCodePoints.Write(batch[i], bytes.AsSpan(i * size, size));
        return bytes;
    }

    public override string? Rejects(NpyLayout layout, DataFacts facts)
        => !layout.DType.IsText ? $"holds {layout.DType.Name}, not text (<U)"
            : layout.RowShape.Length != 0 ? "has more than one text per row; TextData holds one per sample"
            : null;

    public override TextData FromRows(NpyLayout layout, int rows, byte[] bytes, DataFacts facts)
    {
        int size = layout.DType.ItemSize;
        var texts = new string[rows];
        for (int i = 0; i < rows; i++) texts[i] = TextCodePoints.Read(bytes.AsSpan(i * size, size));
        return new TextData(texts);
    }
}
