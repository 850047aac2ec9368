using System.Diagnostics;
using System.Globalization;
using Arc.Sdk;

namespace Arc.Samples.Mnist;

/// <summary>Prints training progress: at the end of every epoch, and in between at most every <c>interval</c>.</summary>
/// <remarks>Synchronous on purpose: <see cref="Progress{T}"/> would post to the thread pool and print out of order.</remarks>
public sealed class ConsoleTrainProgress(TimeSpan interval) : IProgress<TrainProgress>
{
    private readonly Stopwatch _sinceLastLine = Stopwatch.StartNew();

    /// <inheritdoc />
    public void Report(TrainProgress p)
    {
        if (!p.EndOfEpoch && _sinceLastLine.Elapsed < interval) return;
        _sinceLastLine.Restart();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {p.Model}  epoch {p.Epoch}/{p.Epochs}  batch {p.Batch,4}/{p.BatchesPerEpoch}  loss {p.EpochLoss:0.0000}  {p.SamplesPerSecond,6:0} samples/s  {p.Elapsed.TotalSeconds,5:0.0}s"));
    }
}
