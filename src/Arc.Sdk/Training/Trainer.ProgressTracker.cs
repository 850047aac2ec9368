using System.Diagnostics;
using Arc.Types;

namespace Arc.Sdk;

public sealed partial class Trainer<X, Y>
{
    /// <summary>
    /// Reports a batch once every model has fitted it or failed on or before it — models fit at their own pace now,
    /// so this is what keeps <see cref="TrainerProgress"/> what it was: one report per batch, in order, counting as
    /// failed only the models that had failed by that batch.
    /// </summary>
    private sealed class TrainerProgressTracker(ModelState[] states, int epochs, IProgress<TrainerProgress>? progress, Stopwatch clock)
    {
        private readonly object _lock = new();
        private readonly List<(int Epoch, int Batch, long Samples)> _batches = new();
        private long _samples;
        private int _reported;

        /// <summary>Batches handed to the models so far, all epochs.</summary>
        public long BatchesStreamed
        {
            get { lock (_lock) return _batches.Count; }
        }

        public void BatchStreamed(int epoch, int batch, int samples)
        {
            lock (_lock)
            {
                _samples += samples;
                _batches.Add((epoch, batch, _samples));
            }
        }

        /// <summary>The epoch and size of batch <paramref name="step"/> (counted from 1 over all epochs).</summary>
        public (int Epoch, int Count) BatchAt(long step)
        {
            lock (_lock)
            {
                var (epoch, _, samples) = _batches[(int)(step - 1)];
                long before = step >= 2 ? _batches[(int)(step - 2)].Samples : 0;
                return (epoch, (int)(samples - before));
            }
        }

        /// <summary>Waits until every healthy model has fitted (or failed on) every batch streamed so far.</summary>
        public async Task AllCaughtUpAsync(CancellationToken cancellationToken)
        {
            long streamed = BatchesStreamed;
            while (states.Any(s => s.Healthy && Interlocked.Read(ref s.StepsField) < streamed))
                await Task.Delay(2, cancellationToken).ConfigureAwait(false);
        }

        public void StepDone(ModelState state)
        {
            lock (_lock)
            {
                state.Steps++;
                ReportReady();
            }
        }

        public void Failed(ModelState state, Exception error)
        {
            lock (_lock)
            {
                state.Fail(error);
                ReportReady();
            }
        }

        /// <summary>How many of the epochs streamed whole (their last batch's number in <paramref name="epochEnds"/>) some model fitted whole.</summary>
        public int EpochsFittedByAnyModel(IReadOnlyList<long> epochEnds)
        {
            lock (_lock)
            {
                long most = states.Max(s => s.Steps);
                return epochEnds.Count(end => end <= most);
            }
        }

        private void ReportReady()
        {
            while (_reported < _batches.Count)
            {
                long batch = _reported + 1;
                if (states.All(s => s.FailedAt < batch)) return; // every model was gone before this batch
                if (!states.All(s => s.Steps >= batch || s.FailedAt <= batch)) return;
                int failed = states.Count(s => s.FailedAt <= batch);
                var (epoch, inEpoch, samples) = _batches[_reported++];
                progress?.Report(new TrainerProgress(epoch, epochs, inEpoch, samples, states.Length - failed, failed, clock.Elapsed));
            }
        }
    }
}
