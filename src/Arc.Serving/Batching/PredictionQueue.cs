using System.Threading.Channels;
using Arc.Sdk;

namespace Arc.Serving;

/// <summary>
/// Runs the model one call at a time (a model is not safe to call from two threads, and TorchSharp serializes steps
/// anyway) and, with dynamic batching on, merges the requests that queue meanwhile into one call: it takes the first
/// waiting request, then more until the batch holds <see cref="ServingOptions.MaxBatchSize"/> rows or
/// <see cref="ServingOptions.BatchDelay"/> has passed, joins their inputs, predicts once and hands each caller its own
/// rows. A batch that fails is retried one request at a time, so one bad request cannot fail the others.
/// </summary>
internal sealed class PredictionQueue
{
    private readonly IInferenceModule _module;
    private readonly IBatchingInferenceModule? _batching;
    private readonly object _model;
    private readonly int _maxRows;
    private readonly TimeSpan _delay;
    private readonly ServingMetrics _metrics;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private Pending? _held;

    public PredictionQueue(IInferenceModule module, object model, ServingOptions options, ServingMetrics metrics)
    {
        _module = module;
        _model = model;
        _metrics = metrics;
        _batching = options.MaxBatchSize > 1 ? module as IBatchingInferenceModule : null;
        _maxRows = _batching is null ? 1 : options.MaxBatchSize;
        _delay = options.BatchDelay;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Queues <paramref name="input"/> and returns the model's output for it (its own rows only).</summary>
    public Task<object> PredictAsync(object input)
    {
        int rows = _batching?.RowsOf(input) ?? 1;
        var pending = new Pending(input, rows);
        if (!_queue.Writer.TryWrite(pending))
            throw new InvalidOperationException("the server is stopping; no new predictions are taken");
        return pending.Result.Task;
    }

    /// <summary>Takes no more requests and finishes every queued one.</summary>
    public Task DrainAsync()
    {
        _queue.Writer.TryComplete();
        return _loop;
    }

    private async Task LoopAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<Pending>();
        while (true)
        {
            if (_held is { } held) { batch.Add(held); _held = null; }
            else if (await reader.WaitToReadAsync().ConfigureAwait(false) && reader.TryRead(out var first)) batch.Add(first);
            else if (reader.Completion.IsCompleted) return;
            else continue;

            if (_batching is not null) await FillAsync(reader, batch).ConfigureAwait(false);
            Run(batch);
            batch.Clear();
        }
    }

    /// <summary>Adds waiting requests to <paramref name="batch"/> until it is full or the delay has passed.</summary>
    private async Task FillAsync(ChannelReader<Pending> reader, List<Pending> batch)
    {
        int rows = batch[0].Rows;
        var deadline = DateTime.UtcNow + _delay;
        while (rows < _maxRows)
        {
            if (reader.TryRead(out var next))
            {
                if (rows + next.Rows > _maxRows) { _held = next; return; }
                batch.Add(next);
                rows += next.Rows;
                continue;
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) return;
            using var timeout = new CancellationTokenSource(left);
            try
            {
                if (!await reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false)) return;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Run(List<Pending> batch)
    {
        if (batch.Count == 1 || _batching is null)
        {
            foreach (var one in batch) RunAlone(one);
            return;
        }
        object output;
        try
        {
            var input = _batching.ConcatInputs(batch.Select(p => p.Input).ToList());
            output = _module.Predict(input, _model);
            if (_batching.RowsOf(output) != batch.Sum(p => p.Rows))
                throw new InvalidOperationException($"the model answered {_batching.RowsOf(output)} rows for {batch.Sum(p => p.Rows)}");
        }
        catch (Exception)
        {
            // Inputs that cannot be joined (other image sizes) or one input the model refuses: each on its own, so the
            // error reaches only the request that caused it.
            foreach (var one in batch) RunAlone(one);
            return;
        }
        Observe(batch.Sum(p => p.Rows), batch.Count);
        int start = 0;
        foreach (var pending in batch)
        {
            pending.Result.TrySetResult(_batching.SliceOutput(output, start, pending.Rows));
            start += pending.Rows;
        }
    }

    private void RunAlone(Pending pending)
    {
        try
        {
            var output = _module.Predict(pending.Input, _model);
            Observe(pending.Rows, 1);
            pending.Result.TrySetResult(output);
        }
        catch (Exception e)
        {
            pending.Result.TrySetException(e);
        }
    }

    private void Observe(int rows, int requests)
    {
        _metrics.BatchRows.Observe(rows);
        _metrics.BatchRequests.Observe(requests);
    }

    private sealed class Pending(object input, int rows)
    {
        public object Input { get; } = input;
        public int Rows { get; } = rows;
        public TaskCompletionSource<object> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
