using Arc.Remote;
using Arc.Sdk;
using Arc.Sdk.Tests.Support;
using Arc.Types;

namespace Arc.Sdk.Tests.Remote;

/// <summary>
/// A model on a worker process hands out its optimizer state and takes one back (<c>arc.Model/SaveOptimizerState</c>
/// and <c>LoadOptimizerState</c>): the same bytes as the same model in process, and a second worker given the weights
/// and the state takes exactly the first one's next step. State that does not fit is refused with its reason.
/// </summary>
public sealed class RemoteOptimizerStateTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ModelRegistration<WorkerMlp, WorkerMlp.Hyperparameters, ImageData, ClassData> Registration
        => Assert.IsType<ModelRegistration<WorkerMlp, WorkerMlp.Hyperparameters, ImageData, ClassData>>(ArcRegistry.FindModel("workermlp"));

    private static readonly ImageData Images = RemoteTestData.Images(6, 4, 4, seed: 31).Images;
    private static readonly ClassData Targets = new([0, 1, 2, 0, 1, 2], WorkerMlp.Classes);

    private static async Task<byte[]> OptimizerAsync(object model)
    {
        using var stream = new MemoryStream();
        Assert.True(await OptimizerStates.TrySaveAsync(model, stream, Ct), $"{model} has no optimizer state");
        return stream.ToArray();
    }

    [Fact]
    public async Task A_worker_hands_out_the_optimizer_state_and_a_second_worker_continues_from_it_exactly()
    {
        using var local = new WorkerMlp();
        await using var first = await Registration.DeployAsync(Target.LocalProcess, new WorkerMlp.Hyperparameters(), Ct);
        await first.LoadWeightsAsync(new MemoryStream(await ModelWeights.Of(local)), Ct);
        for (int step = 0; step < 3; step++)
        {
            await ((ISupervisedModel<ImageData, ClassData>)local).FitAsync(Images, Targets, Ct);
            await first.FitAsync(Images, Targets, Ct);
        }
        byte[] state = await OptimizerAsync(first);
        Assert.Equal(await OptimizerAsync(local), state); // Adam's moments and step counts, byte for byte
        Assert.Equal(await ModelWeights.Of(local), await ModelWeights.Of(first));

        await using var second = await Registration.DeployAsync(Target.LocalProcess, new WorkerMlp.Hyperparameters(), Ct);
        await second.LoadWeightsAsync(new MemoryStream(await ModelWeights.Of(first)), Ct);
        await OptimizerStates.TryLoadAsync(second, new MemoryStream(state), Ct);
        var next = await first.FitAsync(Images, Targets, Ct);
        var resumed = await second.FitAsync(Images, Targets, Ct);
        Assert.Equal(next.Loss, resumed.Loss);
        Assert.Equal(await ModelWeights.Of(first), await ModelWeights.Of(second));

        // A fresh optimizer takes another step from the same weights (so the equality above depended on the state).
        await using var fresh = await Registration.DeployAsync(Target.LocalProcess, new WorkerMlp.Hyperparameters(), Ct);
        await fresh.LoadWeightsAsync(new MemoryStream(await ModelWeights.Of(second)), Ct);
        await OptimizerStates.TryLoadAsync(second, new MemoryStream(await OptimizerAsync(first)), Ct);
        await second.FitAsync(Images, Targets, Ct);
        await fresh.FitAsync(Images, Targets, Ct);
        Assert.NotEqual(await ModelWeights.Of(second), await ModelWeights.Of(fresh));
    }

    [Fact]
    public async Task State_that_does_not_fit_is_refused_with_its_reason_and_the_worker_keeps_serving()
    {
        await using var remote = await Registration.DeployAsync(Target.LocalProcess, new WorkerMlp.Hyperparameters(), Ct);
        await remote.FitAsync(Images, Targets, Ct);
        var e = await Assert.ThrowsAsync<ArcRemoteException>(async () => await OptimizerStates.TryLoadAsync(remote, new MemoryStream([1, 2, 3]), Ct));
        Assert.Equal(typeof(InvalidDataException).FullName, e.RemoteType);
        Assert.Equal("/arc.Model/LoadOptimizerState", e.Method);
        Assert.Contains("the optimizer state does not fit WorkerMlp's optimizer", e.RemoteMessage);
        Assert.True(double.IsFinite((await remote.FitAsync(Images, Targets, Ct)).Loss));
    }
}
