using Arc.Testing.Fuzz;
using Arc.Sdk.Tests.Support;

namespace Arc.Sdk.Tests.Remote;

/// <summary>
/// The live fuzzer (tests/Arc.Sdk.Tests/Remote/Fuzz/) against real worker processes, one per kind: every endpoint of
/// <c>arc.Model</c>, <c>arc.Job</c>, <c>arc.Pod</c> and a develop worker's <c>arc.Develop</c> and <c>arc.Model</c> gets
/// <see cref="FramesPerEndpoint"/> mutated frames. Every frame must be answered as its local decode predicts
/// (InvalidArgument with the marshaller's exact message, or the served code's own answer), the worker must live and keep
/// answering valid calls, and its resident memory must grow less than <see cref="MaxGrowthMiB"/> while the frames run.
/// The full 100,000 frames per endpoint run by hand: <c>bench fuzz</c> (docs/remote-protocol.md, "Hostile input").
/// </summary>
public sealed class LiveFuzzTests
{
    private const int FramesPerEndpoint = 5_000;
    private const double MaxGrowthMiB = 50;
    private static readonly FuzzSettings Settings = new(FramesPerEndpoint, WarmUpFrames: 500, Concurrency: 32, Seed: 20261123);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_model_worker_answers_every_mutated_frame_cleanly_and_keeps_serving()
    {
        await using var worker = await FuzzWorker.StartModelAsync(Ct);
        await FuzzAndCheckAsync(worker);
    }

    [Fact]
    public async Task A_job_worker_answers_every_mutated_frame_cleanly_and_keeps_serving()
    {
        await using var worker = await FuzzWorker.StartJobAsync(Ct);
        await FuzzAndCheckAsync(worker);
    }

    [Fact]
    public async Task A_pod_worker_answers_every_mutated_frame_cleanly_and_keeps_serving()
    {
        await using var worker = await FuzzWorker.StartPodsAsync(Ct);
        await FuzzAndCheckAsync(worker);
    }

    [Fact]
    public async Task A_develop_worker_answers_every_mutated_frame_cleanly_and_keeps_serving()
    {
        var folder = TestScratch.Create();
        try
        {
            await using var worker = await FuzzWorker.StartDevelopAsync(folder.FullName, Ct);
            await FuzzAndCheckAsync(worker);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task FuzzAndCheckAsync(FuzzWorker worker)
    {
        var result = await FuzzCampaign.RunAsync(worker, Settings, null, Ct);

        Assert.True(result.FailedFrames == 0 && result.Problems.Count == 0,
            $"{result.FailedFrames} frames answered wrong, {result.Problems.Count} problems:{Environment.NewLine}{string.Join(Environment.NewLine, result.AllFailures)}");
        foreach (var endpoint in result.Endpoints)
        {
            Assert.Equal(FramesPerEndpoint, endpoint.Malformed + endpoint.Ok + endpoint.Refused);
            // The oracle is not vacuous: most frames are refused as malformed, and some still decode and are served.
            Assert.True(endpoint.Malformed > FramesPerEndpoint / 2, $"{endpoint.Endpoint}: only {endpoint.Malformed} frames were malformed");
            Assert.True(endpoint.Ok + endpoint.Refused > 0, $"{endpoint.Endpoint}: no frame decoded");
            foreach (var kind in Enum.GetValues<Mutation>())
                Assert.True(endpoint.CountOf(kind) > 0, $"{endpoint.Endpoint}: no {kind} frame was sent");
        }
        Assert.Equal(worker.Endpoints.Count, result.Endpoints.Count);
        Assert.True(result.GrowthMiB < MaxGrowthMiB,
            $"the {result.Worker} worker's resident memory grew {result.GrowthMiB:0.0} MiB ({result.AfterWarmUp.RssMiB:0.0} → {result.End.RssMiB:0.0} MiB)");
    }
}
