using System.Text;
using Arc.Types;

namespace Arc.Sdk.Tests.Remote;

/// <summary>
/// A worker started on its client's machine leaves the client a processor: libtorch's intra-op threads are one fewer
/// than the processors (at least one), unless the environment already chose a count, which is kept.
/// </summary>
public sealed class WorkerThreadSettingsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(1, "1")]
    [InlineData(2, "1")]
    [InlineData(3, "2")]
    [InlineData(16, "15")]
    public void A_worker_gets_one_thread_fewer_than_the_processors_and_at_least_one(int processors, string threads)
    {
        var environment = new Dictionary<string, string?> { ["PATH"] = "/usr/bin" };
        WorkerThreadSettings.Apply(environment, processors);
        Assert.Equal(threads, environment["OMP_NUM_THREADS"]);
        Assert.Equal(threads, environment["MKL_NUM_THREADS"]);
        Assert.Equal("/usr/bin", environment["PATH"]);
    }

    [Theory]
    [InlineData("OMP_NUM_THREADS")]
    [InlineData("MKL_NUM_THREADS")]
    public void A_count_the_environment_chose_is_kept(string variable)
    {
        var environment = new Dictionary<string, string?> { [variable] = "4" };
        WorkerThreadSettings.Apply(environment, 16);
        Assert.Equal(new Dictionary<string, string?> { [variable] = "4" }, environment);
    }

    [Fact]
    public void An_empty_variable_chooses_nothing()
    {
        var environment = new Dictionary<string, string?> { ["OMP_NUM_THREADS"] = "" };
        WorkerThreadSettings.Apply(environment, 4);
        Assert.Equal("3", environment["OMP_NUM_THREADS"]);
        Assert.Equal("3", environment["MKL_NUM_THREADS"]);
    }

    [Fact]
    public async Task A_real_worker_process_starts_with_the_count()
    {
        await using var remote = await WorkerMlp.DeployAsync(Target.LocalProcess, hidden: 3, cancellationToken: Ct);
        var worker = Assert.IsType<LocalProcessModel<ImageData, ClassData>>(remote.Deployed);
        // The worker's environment as the kernel keeps it: NUL-separated NAME=value entries.
        var environment = File.ReadAllText($"/proc/{worker.ProcessId}/environ", Encoding.UTF8)
            .Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair.Length > 1 ? pair[1] : "");
        string expected = Environment.GetEnvironmentVariable("OMP_NUM_THREADS") is { Length: > 0 } chosen
            ? chosen // this test's own environment chose: the worker inherits that
            : WorkerThreadSettings.ThreadsFor(Environment.ProcessorCount).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected, environment["OMP_NUM_THREADS"]);
    }
}
