using Arc.Datasets.Tests.Support;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Datasets.Tests.Opening;

/// <summary>Without a logger, skipping hash verification is said on standard error (alone: the test swaps the process's stderr).</summary>
[Collection(nameof(AloneCollection))]
public sealed class StandardErrorWarningTests
{
    [Fact]
    public async Task Skipping_verification_without_a_logger_warns_on_standard_error()
    {
        var ct = TestContext.Current.CancellationToken;
        using var scratch = new Scratch();
        var published = await new DatasetBuilder<ImageData, ClassData>("shapes").AddSplit(DataSplit.Train, SampleData.Images(3)).PublishAsync(scratch.Path, "v1", ct);

        var original = Console.Error;
        using var captured = new StringWriter();
        Console.SetError(captured);
        try
        {
            using (await DatasetVersion.OpenAsync<ImageData, ClassData>(published.Path, new DatasetOpenOptions { SkipHashVerification = true }, ct)) { }
        }
        finally
        {
            Console.SetError(original);
        }
        Assert.StartsWith($"warning: dataset shapes:v1 at {published.Path} is opened WITHOUT verifying its content hash", captured.ToString());
    }
}
