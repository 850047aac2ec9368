using Arc.Sdk.Tests.Torch;
using Arc.Remote;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Sdk.Tests.Remote;

/// <summary>
/// A worker in its own process (Target.LocalProcess) that is sent damaged weights answers each load with a clear
/// error naming what did not fit, and keeps serving exactly the weights it had: the same predictions, value for value,
/// and the same saved bytes.
/// </summary>
public sealed class AtomicLoadWeightsRemoteTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ModelRegistration<WorkerMlp, WorkerMlp.Hyperparameters, ImageData, ClassData> Registration
        => Assert.IsType<ModelRegistration<WorkerMlp, WorkerMlp.Hyperparameters, ImageData, ClassData>>(ArcRegistry.FindModel("workermlp"));

    private static async Task<byte[]> SavedAsync(IDeployedModel<ImageData, ClassData> model)
    {
        using var stream = new MemoryStream();
        await model.SaveWeightsAsync(stream, Ct);
        return stream.ToArray();
    }

    private static float[] Scores(ClassData predictions) => predictions.Scores!.AsSpan<float>().ToArray();

    [Fact]
    public async Task Damaged_weights_are_refused_clearly_and_the_worker_keeps_its_weights()
    {
        var images = RemoteTestData.Images(6, 4, 4, seed: 22).Images;
        await using var remote = await Registration.DeployAsync(Target.LocalProcess, new WorkerMlp.Hyperparameters(Hidden: DamagedWeights.Hidden), Ct);
        var before = await remote.PredictAsync(images, Ct);
        var savedBefore = await SavedAsync(remote);

        foreach (var (damage, (bytes, expected)) in DamagedWeights.Cases)
        {
            var e = await Assert.ThrowsAsync<ArcRemoteException>(async () => await remote.LoadWeightsAsync(new MemoryStream(bytes), Ct));
            Assert.Equal(typeof(InvalidDataException).FullName, e.RemoteType);
            Assert.Equal("/arc.Model/LoadWeights", e.Method);
            Assert.True(e.RemoteMessage.Contains(expected, StringComparison.Ordinal) &&
                        e.RemoteMessage.Contains("the model keeps its previous weights", StringComparison.Ordinal),
                $"{damage}: the message does not say '{expected}': {e.RemoteMessage}");

            var after = await remote.PredictAsync(images, Ct);
            var savedAfter = await SavedAsync(remote);
            Assert.True(before.IndexSpan.ToArray().SequenceEqual(after.IndexSpan.ToArray()), $"{damage}: the predicted classes changed");
            Assert.True(Scores(before).SequenceEqual(Scores(after)), $"{damage}: the scores changed");
            Assert.True(savedBefore.SequenceEqual(savedAfter), $"{damage}: the saved weights changed");
        }

        // The same worker still loads good weights, and they do change its predictions (so "unchanged" above meant something).
        await remote.LoadWeightsAsync(new MemoryStream(DamagedWeights.Foreign), Ct);
        Assert.Equal(DamagedWeights.Foreign, await SavedAsync(remote));
        Assert.NotEqual(Scores(before), Scores(await remote.PredictAsync(images, Ct)));
    }
}
