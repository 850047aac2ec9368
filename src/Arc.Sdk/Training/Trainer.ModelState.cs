using System.Threading.Channels;
using Arc.Types;

namespace Arc.Sdk;

public sealed partial class Trainer<X, Y>
{
    /// <summary>
    /// Batches waiting in a model's feed. One is enough: a remote model reads ahead of its replies by itself
    /// (<see cref="ISupervisedModel{X, Y}.FitBatchesAsync"/>), and a short feed keeps models near each other.
    /// </summary>
    private const int FeedCapacity = 1;

    /// <summary>One model's feed and progress; a failure is kept, never thrown, so one model cannot stop the others.</summary>
    private sealed class ModelState(ISupervisedModel<X, Y> model)
    {
        private readonly Channel<Batch<X, Y>> _feed = Channel.CreateBounded<Batch<X, Y>>(
            new BoundedChannelOptions(FeedCapacity) { SingleReader = true, SingleWriter = true });
        private volatile Exception? _error;

        public ISupervisedModel<X, Y> Model { get; } = model;
        public Exception? Error => _error;
        public EvalReport? Report { get; private set; }
        public bool Healthy => _error is null;

        /// <summary>Batches fitted; changed only under the progress tracker's lock.</summary>
        public long Steps
        {
            get => Interlocked.Read(ref StepsField);
            set => Interlocked.Exchange(ref StepsField, value);
        }

        /// <summary>The field behind <see cref="Steps"/>, read without the lock while waiting for a checkpoint.</summary>
        public long StepsField;

        /// <summary>The recording of this model's run (inactive when nothing is recorded).</summary>
        public RecordedRun Run { get; set; } = null!;

        /// <summary>The epoch of the last batch fitted, and its mean loss so far (weighted by batch size).</summary>
        public int Epoch { get; private set; }
        public double EpochLoss => _epochSamples > 0 ? _epochLossSum / _epochSamples : double.NaN;
        private double _epochLossSum;
        private long _epochSamples;

        /// <summary>The batch (counted over all epochs, from 1) the model failed on; <see cref="long.MaxValue"/> while healthy.</summary>
        public long FailedAt { get; private set; } = long.MaxValue;

        /// <summary>Waits for room in the feed; a model that failed (its feed closed) is skipped.</summary>
        public async ValueTask OfferAsync(Batch<X, Y> batch, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!Healthy) return;
            while (!_feed.Writer.TryWrite(batch))
                if (!await _feed.Writer.WaitToWriteAsync(cancellationToken).ConfigureAwait(false)) return;
        }

        /// <summary>No more batches: the model finishes those in its feed.</summary>
        public void CloseFeed() => _feed.Writer.TryComplete();

        /// <summary>Fits every batch of the feed, telling <paramref name="tracker"/> of each step or the failure.</summary>
        public async Task FitAllAsync(TrainerProgressTracker tracker, CancellationToken cancellationToken)
        {
            try
            {
                await foreach (var result in Model.FitBatchesAsync(_feed.Reader.ReadAllAsync(cancellationToken), cancellationToken).ConfigureAwait(false))
                {
                    // Recorded before the step counts as done, so a checkpoint that waits for the step finds it recorded.
                    if (Run.Active) await RecordStepAsync(tracker, Steps + 1, result.Loss, cancellationToken).ConfigureAwait(false);
                    tracker.StepDone(this);
                }
            }
            catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                tracker.Failed(this, e);
            }
            finally
            {
                _feed.Writer.TryComplete();
            }
        }

        /// <summary>Records a step's loss; when the step opens a new epoch, first the mean loss of the one it closes.</summary>
        private async ValueTask RecordStepAsync(TrainerProgressTracker tracker, long step, double loss, CancellationToken cancellationToken)
        {
            var (epoch, count) = tracker.BatchAt(step);
            if (epoch != Epoch)
            {
                if (Epoch > 0) await Run.EpochAsync(Epoch, step - 1, EpochLoss, cancellationToken).ConfigureAwait(false);
                (Epoch, _epochLossSum, _epochSamples) = (epoch, 0, 0);
            }
            _epochLossSum += loss * count;
            _epochSamples += count;
            await Run.StepAsync(step, epoch, loss, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>After the last step: the mean loss of the last epoch, when it was fitted whole.</summary>
        public ValueTask RecordLastEpochAsync(bool lastEpochWhole, CancellationToken cancellationToken)
            => Run.Active && Epoch > 0 && lastEpochWhole ? Run.EpochAsync(Epoch, Steps, EpochLoss, cancellationToken) : ValueTask.CompletedTask;

        /// <summary>Records the failure; called under the progress tracker's lock.</summary>
        public void Fail(Exception error)
        {
            FailedAt = Steps + 1;
            _error = error;
        }

        public async Task EvaluateAsync(ISupervisedJob<X, Y> job, DataSplit split, CancellationToken cancellationToken)
        {
            try
            {
                Report = await Task.Run(async () => await job.EvaluateAsync(Model, split, cancellationToken: cancellationToken).ConfigureAwait(false),
                    cancellationToken).ConfigureAwait(false);
                // A local SupervisedJob adds the report to the model's record itself; another job (a remote client) cannot.
                if (job is not SupervisedJob<X, Y>) await Run.EvaluatedAsync(Report, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                _error = e;
            }
        }
    }
}
