using Arc.Sdk;
using Xunit;

namespace ArcModel1.Tests;

public sealed class MlpClassifierTests
{
    private static readonly TrainOptions Training = new() { Epochs = 5, BatchSize = 50 };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Learns_the_digits_in_process()
    {
        var job = new ClassifyDigits(perDigit: 60);
        await using var model = await MlpClassifier.DeployAsync(Target.InProcess, hidden: 32, cancellationToken: Ct);

        await job.TrainAsync(model, Training, cancellationToken: Ct);

        Assert.True((await job.EvaluateAsync(model, cancellationToken: Ct)).Metric("accuracy") >= 0.9);
    }

    [Fact]
    public async Task A_worker_process_learns_exactly_what_this_process_learns()
    {
        var job = new ClassifyDigits(perDigit: 60);
        await using var here = await MlpClassifier.DeployAsync(Target.InProcess, hidden: 32, cancellationToken: Ct);
        await using var there = await MlpClassifier.DeployAsync(Target.LocalProcess, hidden: 32, cancellationToken: Ct);
        using (var start = new MemoryStream())
        {
            // Both start from the same weights (tests of other classes may create models at the same time, and torch's
            // random generator is shared by the whole process).
            await here.SaveWeightsAsync(start, Ct);
            start.Position = 0;
            await there.LoadWeightsAsync(start, Ct);
        }

        await job.TrainAsync(here, Training, cancellationToken: Ct);
        await job.TrainAsync(there, Training, cancellationToken: Ct);

        Assert.NotEqual(Environment.ProcessId, there.WorkerProcessId);
        Assert.Equal((await job.EvaluateAsync(here, cancellationToken: Ct)).Metric("accuracy"),
            (await job.EvaluateAsync(there, cancellationToken: Ct)).Metric("accuracy"));
    }
}
