using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Arc.Types;

namespace Arc.Sdk;

public abstract partial class SupervisedJob<X, Y>
{
    /// <summary>
    /// The batches of <see cref="TrainAsync"/> for epochs <c>firstEpoch</c>..<c>lastEpoch</c>: every epoch's stream of the training split, one after the other, until
    /// the epochs are done or the budget is spent (checked before each batch is handed over). It remembers each batch's
    /// epoch, number and size in hand-over order, for the results that come back in the same order.
    /// </summary>
    private sealed class TrainFeed(SupervisedJob<X, Y> job, TrainOptions options, int firstEpoch, int lastEpoch, Stopwatch clock, CancellationToken cancellationToken)
    {
        private readonly ConcurrentQueue<(int Epoch, int Batch, int Count)> _handedOver = new();
        private volatile bool _budgetSpent;
        private volatile int _epochsStreamed = firstEpoch - 1;

        /// <summary>Whether the budget stopped the batches.</summary>
        public bool BudgetSpent => _budgetSpent;

        /// <summary>The last epoch whose batches were all handed over (counted from 1 over the whole run); 0 for none.</summary>
        public int EpochsStreamed => _epochsStreamed;

        public async IAsyncEnumerable<Batch<X, Y>> BatchesAsync()
        {
            for (int epoch = firstEpoch; epoch <= lastEpoch; epoch++)
            {
                int? seed = options.ShuffleSeed is int s ? unchecked(s + epoch - 1) : null;
                int batch = 0;
                await foreach (var (x, y) in job.StreamAsync(options.BatchSize, options.Split, seed, cancellationToken).ConfigureAwait(false))
                {
                    if (options.Budget is TimeSpan budget && clock.Elapsed >= budget)
                    {
                        _budgetSpent = true;
                        yield break;
                    }
                    _handedOver.Enqueue((epoch, ++batch, x.Count));
                    yield return new Batch<X, Y>(x, y);
                }
                _epochsStreamed = epoch;
            }
        }

        /// <summary>The epoch, number and size of the oldest batch handed over and not yet fitted.</summary>
        public (int Epoch, int Batch, int Count) Fitted()
            => _handedOver.TryDequeue(out var next) ? next
                : throw new InvalidOperationException("the model returned more fit results than it was given batches");
    }
}
