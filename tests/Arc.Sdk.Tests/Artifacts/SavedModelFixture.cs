using Arc.Sdk.Tests.Remote;
using Arc.Artifacts;
using Arc.Sdk;
using Arc.Types;
using Arc.Sdk.Tests.Support;

namespace Arc.Sdk.Tests.Artifacts;

/// <summary>
/// A <see cref="WorkerMlp"/> trained here for a few steps (so its weights are not the seeded initial ones) and saved
/// once to an OCI layout in a temporary directory, with its own bundle cache, shared by the tests of a class.
/// </summary>
public sealed class SavedModelFixture : IAsyncLifetime
{
    public static ModelRegistration<WorkerMlp, WorkerMlp.Hyperparameters, ImageData, ClassData> Registration
        => Assert.IsType<ModelRegistration<WorkerMlp, WorkerMlp.Hyperparameters, ImageData, ClassData>>(ArcRegistry.FindModel("workermlp"));

    public static readonly WorkerMlp.Hyperparameters Hyperparameters = new(Hidden: 6);

    private DirectoryInfo _directory = null!;

    /// <summary>The trained model, kept here to compare predictions with.</summary>
    public WorkerMlp Model { get; private set; } = null!;

    /// <summary>The layout the model was saved to.</summary>
    public string Layout => Path.Combine(_directory.FullName, "layout");

    /// <summary>The bundle cache the tests connect with.</summary>
    public string Cache => Path.Combine(_directory.FullName, "cache");

    /// <summary>The saved model's reference.</summary>
    public ArtifactReference Reference { get; private set; } = null!;

    public SavedModelOptions Options => new() { CacheDirectory = Cache };

    /// <summary>Test images the tests predict.</summary>
    public ImageData Images { get; } = RemoteTestData.Images(9, 4, 4, seed: 23).Images;

    public async ValueTask InitializeAsync()
    {
        _directory = TestScratch.Create();
        Model = await TrainAsync();
        Reference = await Registration.SaveAsync(Model, Hyperparameters, ArtifactReference.ForLayout(Layout),
            cancellationToken: TestContext.Current.CancellationToken);
    }

    /// <summary>A WorkerMlp with <see cref="Hyperparameters"/> fitted on 30 steps of the ramp job's data.</summary>
    public static async Task<WorkerMlp> TrainAsync()
    {
        var model = Registration.Create(Hyperparameters);
        var job = new WorkerRampJob(count: 48, seed: 5);
        var batch = await job.SampleAsync(48, cancellationToken: TestContext.Current.CancellationToken);
        for (int step = 0; step < 30; step++)
            await model.FitAsync(batch.Inputs, batch.Targets, TestContext.Current.CancellationToken);
        return model;
    }

    public ValueTask DisposeAsync()
    {
        Model?.Dispose();
        try { _directory.Delete(recursive: true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }
}
