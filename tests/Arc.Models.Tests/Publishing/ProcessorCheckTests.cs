namespace Arc.Models.Tests;

public sealed class ProcessorCheckTests
{
    [Fact]
    public async Task The_processor_of_the_models_dataset_is_accepted_and_another_fit_or_type_is_refused_saying_why()
    {
        using var folder = new TemporaryFolder();
        using var dataset = await SmallData.PublishAsync(folder["datasets"], "scaled", seed: 1, processor: new ScaleProcessor(0.5));
        var published = await ModelVersion.PublishAsync(folder["models"], SmallData.Model(seed: 1), dataset,
            options: new ModelPublishOptions { Version = "v1" }, cancellationToken: TestContext.Current.CancellationToken);
        var link = published.Metadata.Dataset;
        Assert.Equal("Tests.ScaleProcessor", link.Processor);
        Assert.Equal(dataset.Metadata.Files.Single(f => f.Path == "processor.arc").Sha256, link.ProcessorStateSha256);

        // The same fit: loads.
        await ModelVersion.LoadAsync(published.Folder, SmallData.Model(seed: 2), new ScaleProcessor(0.5), cancellationToken: TestContext.Current.CancellationToken);

        // Fitted on other data: refused, and the model's weights stay as they were.
        var other = await Assert.ThrowsAsync<ProcessorMismatchException>(
            () => ModelVersion.LoadAsync(published.Folder, SmallData.Model(seed: 2), new ScaleProcessor(0.25), cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains($"was trained on dataset scaled:v1 (hash sha256:{dataset.Metadata.Hash.Value})", other.Message);
        Assert.Contains("it was fitted on other data", other.Message);

        var type = await Assert.ThrowsAsync<ProcessorMismatchException>(
            () => ModelVersion.LoadAsync(published.Folder, SmallData.Model(seed: 2), new ScaleProcessor(0.5, "Tests.OtherProcessor"), cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains("made by a Tests.ScaleProcessor; the processor given is a Tests.OtherProcessor", type.Message);
    }

    [Fact]
    public async Task A_processor_for_a_model_whose_dataset_had_none_is_refused()
    {
        using var folder = new TemporaryFolder();
        using var dataset = await SmallData.PublishAsync(folder["datasets"], "plain", seed: 1);
        var published = await ModelVersion.PublishAsync(folder["models"], SmallData.Model(seed: 1), dataset, cancellationToken: TestContext.Current.CancellationToken);
        var error = await Assert.ThrowsAsync<ProcessorMismatchException>(
            () => ModelVersion.LoadAsync(published.Folder, SmallData.Model(seed: 2), new ScaleProcessor(1), cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains("was published without a processor", error.Message);
    }
}
