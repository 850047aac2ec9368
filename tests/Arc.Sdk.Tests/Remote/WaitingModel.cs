using System.Diagnostics;
using Arc.Types;

namespace Arc.Sdk.Tests.Remote;

/// <summary>
/// A model whose Fit and Predict wait until their cancellation token fires, and say when a call started waiting and
/// when its token fired: lets a test hold a call in flight on a worker (limits, deadlines, cancelled streams).
/// </summary>
internal sealed class WaitingModel : ISupervisedModel<ImageData, ClassData>
{
    /// <summary>Set when a Fit or Predict starts waiting.</summary>
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Set when a waiting call's token fired.</summary>
    public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Once set, calls answer at once: Predict class 0 for every row, Fit a zero loss over the batch.</summary>
    public volatile bool Release;

    public string Name => "waiting";

    public async ValueTask<FitResult> FitAsync(ImageData x, ClassData y, CancellationToken cancellationToken = default)
    {
        if (!Release) await WaitForCancellationAsync(cancellationToken);
        return new FitResult(0, x.Count);
    }

    public async ValueTask<ClassData> PredictAsync(ImageData x, CancellationToken cancellationToken = default)
    {
        if (!Release) await WaitForCancellationAsync(cancellationToken);
        return new ClassData(new long[x.Count], ["zero"]);
    }

    public ValueTask SaveWeightsAsync(Stream destination, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask LoadWeightsAsync(Stream source, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    /// <summary>Never returns normally: throws <see cref="OperationCanceledException"/> once the token fires.</summary>
    private async Task WaitForCancellationAsync(CancellationToken cancellationToken)
    {
        Started.TrySetResult();
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Cancelled.TrySetResult();
            throw;
        }
        throw new UnreachableException();
    }
}
