using Arc.Types;

namespace Arc.Datasets;

/// <summary>
/// Writes the inputs or the targets of one split to their <c>.npy</c> file as batches come, checking that every
/// batch has the same layout and facts (class names, …) as the first. A layout holding text cannot be fixed before
/// the widest text is seen, so those batches wait, in wire form, in a spill file beside the output (deleted when
/// this writer is disposed) and are written when the split is done; a split of one batch is written directly.
/// </summary>
internal sealed class PartWriter<T>(DataForm<T> form, string path, string what) : IDisposable
    where T : IArcData<T>
{
    private NpyLayout? _layout;
    private DataFacts? _facts;
    private NpyWriter? _writer;
    private T? _held;
    private FileStream? _spill;
    private int _batches;
    private long _rows;

    /// <summary>Adds the next batch.</summary>
    /// <exception cref="ArgumentException">The batch cannot be stored, or differs from the first; the message names the batch.</exception>
    public async ValueTask AddAsync(T batch, CancellationToken cancellationToken)
    {
        _batches++;
        try
        {
            var layout = form.LayoutOf(batch);
            var facts = form.FactsOf(batch);
            if (_facts is not null && !_facts.Equals(facts))
                throw new ArgumentException($"it has {facts}, but the first batch has {_facts}");
            _layout = _layout is null ? layout : form.Widen(_layout, layout);
            _facts ??= facts;
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"batch {_batches} of {what}: {e.Message}", e);
        }
        _rows += batch.Count;

        if (!_layout.DType.HasText)
        {
            _writer ??= NpyWriter.Create(path, _layout.DType, _layout.RowShape);
            await _writer.AppendAsync(form.RowsOf(batch, _layout), batch.Count, cancellationToken).ConfigureAwait(false);
        }
        else if (_batches == 1)
        {
            _held = batch;
        }
        else
        {
            _spill ??= new FileStream(path + ".spill", FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
            if (_held is not null)
            {
                await SpillAsync(_held, cancellationToken).ConfigureAwait(false);
                _held = default;
            }
            await SpillAsync(batch, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Finishes the file (final row count in its header, flushed to disk) and says what it holds.</summary>
    public async ValueTask<(NpyLayout Layout, DataFacts Facts, long Rows)> CompleteAsync(CancellationToken cancellationToken)
    {
        if (_layout is null || _facts is null)
            throw new ArgumentException($"{what}: no batches came; a split needs at least one (it may hold zero samples)");
        if (_writer is null)
        {
            _writer = NpyWriter.Create(path, _layout.DType, _layout.RowShape);
            if (_held is not null)
                await _writer.AppendAsync(form.RowsOf(_held, _layout), _held.Count, cancellationToken).ConfigureAwait(false);
            else
                await foreach (var batch in ReplaySpillAsync(cancellationToken).ConfigureAwait(false))
                    await _writer.AppendAsync(form.RowsOf(batch, _layout), batch.Count, cancellationToken).ConfigureAwait(false);
        }
        _writer.Complete();
        _spill?.Dispose();
        return (_layout, _facts, _rows);
    }

    private async ValueTask SpillAsync(T batch, CancellationToken cancellationToken)
    {
        var bytes = ArcWire.Serialize(batch);
        await _spill!.WriteAsync(BitConverter.GetBytes((long)bytes.Length), cancellationToken).ConfigureAwait(false);
        await _spill.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
    }

    private async IAsyncEnumerable<T> ReplaySpillAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        _spill!.Position = 0;
        var length = new byte[8];
        while (_spill.Position < _spill.Length)
        {
            await _spill.ReadExactlyAsync(length, cancellationToken).ConfigureAwait(false);
            var bytes = new byte[BitConverter.ToInt64(length)];
            await _spill.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
            yield return ArcWire.Deserialize<T>(bytes);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _writer?.Dispose();
        _spill?.Dispose();
    }
}
