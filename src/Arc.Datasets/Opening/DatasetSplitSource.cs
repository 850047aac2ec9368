using Arc.Sdk;
using Arc.Types;

namespace Arc.Datasets;

/// <summary>
/// One split of an opened dataset version, read from its two <c>.npy</c> files a batch at a time
/// (<see cref="NpyRowReader"/>). A batch whose bytes do not make valid data (a class index beyond the names, a bool
/// byte other than 0 or 1) fails with an error naming the file and the rows.
/// </summary>
internal sealed class DatasetSplitSource<X, Y> : ISplitSource<X, Y>, IDisposable
    where X : IArcData<X>
    where Y : IArcData<Y>
{
    private readonly Part<X> _inputs;
    private readonly Part<Y> _targets;

    public DatasetSplitSource(NpyRowReader inputs, DataFacts inputFacts, NpyRowReader targets, DataFacts targetFacts)
    {
        _inputs = new Part<X>(DataForms.For<X>(), inputs, inputFacts);
        _targets = new Part<Y>(DataForms.For<Y>(), targets, targetFacts);
        Count = inputs.Rows;
    }

    public int Count { get; }

    /// <summary>The split's two files: inputs, then targets.</summary>
    public IEnumerable<NpyRowReader> Files => [_inputs.File, _targets.File];

    public ValueTask<Batch<X, Y>> ReadAsync(int start, int count, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string Rows() => $"rows {start}..{start + count - 1}";
        return new(new Batch<X, Y>(
            _inputs.Make(count, _inputs.File.ReadRows(start, count), Rows),
            _targets.Make(count, _targets.File.ReadRows(start, count), Rows)));
    }

    public ValueTask<Batch<X, Y>> TakeAsync(ReadOnlyMemory<int> indices, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string Rows() => indices.Length == 0 ? "no rows" : $"{indices.Length} rows from row {indices.Span[0]}";
        return new(new Batch<X, Y>(
            _inputs.Make(indices.Length, _inputs.File.TakeRows(indices.Span), Rows),
            _targets.Make(indices.Length, _targets.File.TakeRows(indices.Span), Rows)));
    }

    public void Dispose()
    {
        _inputs.File.Dispose();
        _targets.File.Dispose();
    }

    private sealed class Part<T>(DataForm<T> form, NpyRowReader file, DataFacts facts) where T : IArcData<T>
    {
        private readonly NpyLayout _layout = new(file.Header.DType, file.RowShape);

        public NpyRowReader File => file;

        /// <summary>The batch of <paramref name="count"/> rows in <paramref name="bytes"/>; <paramref name="rows"/> names them in an error.</summary>
        public T Make(int count, byte[] bytes, Func<string> rows)
        {
            try
            {
                return form.FromRows(_layout, count, bytes, facts);
            }
            catch (Exception e) when (e is ArgumentException or ArcFormatException or FormatException)
            {
                throw new DatasetFormatException(file.Path, $"{rows()} are not valid {typeof(T).Name}: {e.Message}", e);
            }
        }
    }
}
