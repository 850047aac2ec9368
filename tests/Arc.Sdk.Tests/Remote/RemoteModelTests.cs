using Arc.Sdk.Tests.Torch;
using TorchSharp;
using Arc.Remote;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Sdk.Tests.Remote;

/// <summary>
/// The same TorchSharp model code in process and behind a loopback worker (real Kestrel, gRPC, wire form): the
/// remote client must train, predict, evaluate and carry weights exactly as the local object does.
/// </summary>
public sealed class RemoteModelTests(MnistFixture mnist) : IClassFixture<MnistFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A local model and a loopback-deployed one that start from the same weights.</summary>
    private static async Task<(TinyMlp Local, IDeployedModel<ImageData, ClassData> Remote)> TwinsAsync(int seed)
    {
        torch.manual_seed(seed);
        var local = new TinyMlp();
        var remote = await Target.LoopbackWorker.DeployAsync<ImageData, ClassData>(() => new TinyMlp(), Ct);
        // Copying the initial weights makes the twins identical even if another test draws from torch's global generator meanwhile.
        using var initial = new MemoryStream();
        local.SaveWeights(initial);
        initial.Position = 0;
        await remote.LoadWeightsAsync(initial, Ct);
        return (local, remote);
    }

    private static void AssertSamePredictions(ClassData expected, ClassData actual)
    {
        Assert.Equal(expected.IndexSpan.ToArray(), actual.IndexSpan.ToArray());
        Assert.Equal(expected.ClassNames, actual.ClassNames);
        var e = expected.Scores!.AsSpan<float>().ToArray();
        var a = actual.Scores!.AsSpan<float>().ToArray();
        Assert.Equal(expected.Scores.Shape, actual.Scores.Shape);
        for (int i = 0; i < e.Length; i++)
            Assert.Equal(e[i], a[i], 1e-6f);
    }

    [Fact]
    public async Task Training_through_a_loopback_worker_matches_training_in_process()
    {
        var job = new DigitsJob(mnist.Data);
        var (local, remote) = await TwinsAsync(seed: 5);
        using var _ = local;
        await using var __ = remote;
        Assert.IsType<RemoteModel<ImageData, ClassData>>(remote);
        Assert.Equal("tinymlp", remote.Name);

        var localLosses = new List<double>();
        var remoteLosses = new List<double>();
        await foreach (var (x, y) in job.StreamAsync(batchSize: 64, shuffleSeed: 3, cancellationToken: Ct))
        {
            localLosses.Add((await local.FitAsync(x, y, Ct)).Loss);
            var fit = await remote.FitAsync(x, y, Ct);
            Assert.Equal(x.Count, fit.Samples);
            remoteLosses.Add(fit.Loss);
        }

        Assert.Equal(13, remoteLosses.Count); // 800 digits in batches of 64
        for (int i = 0; i < localLosses.Count; i++)
            Assert.Equal(localLosses[i], remoteLosses[i], 1e-6);
        Assert.True(remoteLosses[^1] < remoteLosses[0] * 0.7, $"the loss did not fall: {string.Join(", ", remoteLosses)}");

        var images = mnist.Data.Test.Inputs;
        AssertSamePredictions(local.Predict(images), await remote.PredictAsync(images, Ct));
    }

    [Fact]
    public async Task Evaluating_the_remote_model_reports_what_the_local_one_does()
    {
        var job = new DigitsJob(mnist.Data);
        var (local, remote) = await TwinsAsync(seed: 8);
        using var _ = local;
        await using var __ = remote;
        await foreach (var (x, y) in job.StreamAsync(batchSize: 100, shuffleSeed: 1, cancellationToken: Ct))
        {
            await local.FitAsync(x, y, Ct);
            await remote.FitAsync(x, y, Ct);
        }

        var expected = await job.EvaluateAsync(local, DataSplit.Test, 64, Ct);
        var actual = await job.EvaluateAsync(remote, DataSplit.Test, 64, Ct);

        Assert.Equal(expected.Model, actual.Model);
        Assert.Equal("cpu", expected.Device);
        Assert.Equal(expected.Device, actual.Device);
        Assert.Equal(expected.Samples, actual.Samples);
        Assert.Equal(expected.Metrics.OrderBy(m => m.Key), actual.Metrics.OrderBy(m => m.Key));
        Assert.Equal(expected.Classification!.ConfusionMatrix(), actual.Classification!.ConfusionMatrix());
        Assert.True(actual.Metric("accuracy") > 0.3, $"8 steps should beat chance (0.1):{Environment.NewLine}{actual}");
    }

    [Fact]
    public async Task Weights_saved_remotely_load_into_a_fresh_local_model()
    {
        var job = new DigitsJob(mnist.Data);
        await using var remote = await Target.LoopbackWorker.DeployAsync<ImageData, ClassData>(() => new TinyMlp(), Ct);
        await foreach (var (x, y) in job.StreamAsync(batchSize: 100, shuffleSeed: 2, cancellationToken: Ct))
            await remote.FitAsync(x, y, Ct);
        var images = mnist.Data.Test.Inputs;
        var expected = await remote.PredictAsync(images, Ct);

        using var weights = new MemoryStream();
        await remote.SaveWeightsAsync(weights, Ct);
        torch.manual_seed(99);
        using var fresh = new TinyMlp();
        Assert.NotEqual(expected.Scores!.Bytes.ToArray(), fresh.Predict(images).Scores!.Bytes.ToArray());

        weights.Position = 0;
        fresh.LoadWeights(weights);
        var actual = fresh.Predict(images);
        Assert.Equal(expected.IndexSpan.ToArray(), actual.IndexSpan.ToArray());
        Assert.Equal(expected.Scores!.Bytes.ToArray(), actual.Scores!.Bytes.ToArray());
    }

    [Fact]
    public async Task An_argument_error_of_the_model_reaches_the_caller_as_the_same_ArgumentException_and_the_worker_keeps_serving()
    {
        // X and Y are inferred from the model class.
        await using var remote = await Target.LoopbackWorker.DeployAsync(() => new TinyMlp(), Ct);
        var images = mnist.Data.Train.Inputs.Slice(0, 2);
        var otherClasses = new ClassData([0L, 1L], ["cat", "dog"]);
        using var local = new TinyMlp();
        var expected = Assert.Throws<ArgumentException>(() => local.Fit(images, otherClasses));

        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await remote.FitAsync(images, otherClasses, Ct));

        Assert.Equal(expected.Message, error.Message);
        Assert.Contains("cat, dog", error.Message);
        Assert.Equal("y", error.ParamName);
        var status = Assert.IsType<Grpc.Core.RpcException>(error.InnerException);
        Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, status.StatusCode);
        var predicted = await remote.PredictAsync(images, Ct);
        Assert.Equal(2, predicted.Count);
        var fit = await remote.FitAsync(images, mnist.Data.Train.Targets.Slice(0, 2), Ct);
        Assert.Equal(2, fit.Samples);
    }

    [Fact]
    public async Task Disposing_stops_the_worker_and_frees_the_model()
    {
        TinyMlp? created = null;
        var remote = (RemoteModel<ImageData, ClassData>)await Target.LoopbackWorker.DeployAsync<ImageData, ClassData>(() => created = new TinyMlp(), Ct);
        var address = remote.Address;
        var images = mnist.Data.Test.Inputs.Slice(0, 3);
        Assert.Equal(3, (await remote.PredictAsync(images, Ct)).Count);

        await remote.DisposeAsync();
        await remote.DisposeAsync(); // twice is harmless

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await remote.PredictAsync(images, Ct));
        var error = await Assert.ThrowsAsync<ArcWorkerUnavailableException>(() => RemoteModel<ImageData, ClassData>.ConnectAsync(address, ArcWorkerToken.Generate(), Ct));
        Assert.Equal(address.ToString(), error.Endpoint);
        Assert.Throws<ObjectDisposedException>(() => created!.Predict(images));
    }
}
