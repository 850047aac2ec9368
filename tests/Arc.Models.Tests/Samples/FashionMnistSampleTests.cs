using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Arc.Models.Tests;

/// <summary>samples/FashionMnist run as a child process in its quick mode, on Debian's Fashion-MNIST files.</summary>
public sealed partial class FashionMnistSampleTests
{
    private static string ProgramPath => typeof(FashionMnistSampleTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "FashionMnistProgram").Value!;

    [Fact]
    public async Task The_quick_sample_publishes_dataset_and_model_and_predicts_raw_png_files_through_the_processor()
    {
        using var folder = new TemporaryFolder();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { ProgramPath, "--quick", "--output", folder.Path }) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken))
        {
            timeout.CancelAfter(TimeSpan.FromMinutes(5));
            try { await process.WaitForExitAsync(timeout.Token); }
            catch (OperationCanceledException) { process.Kill(entireProcessTree: true); throw; }
        }
        string output = await stdout, errors = await stderr;
        TestContext.Current.TestOutputHelper?.WriteLine(output + errors);
        Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}\n{output}\n{errors}");

        Assert.True(File.Exists(Path.Combine(folder.Path, "datasets", "fashion-mnist", "v1", "meta.json")), output);
        Assert.True(File.Exists(Path.Combine(folder.Path, "datasets", "fashion-mnist", "v1", "processor.arc")), output);
        var meta = await ModelVersion.ReadMetadataAsync(Path.Combine(folder.Path, "models", "convclassifier", "v1"), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(("fashion-mnist", "v1", "image-normalizer"), (meta.Dataset.Name, meta.Dataset.Version, meta.Dataset.Processor));
        Assert.Equal(200, Directory.GetFiles(Path.Combine(folder.Path, "png"), "*.png").Length);

        var result = ResultLine().Match(output);
        Assert.True(result.Success, output);
        Assert.Equal("convclassifier", result.Groups[1].Value);
        double accuracy = double.Parse(result.Groups[2].Value, CultureInfo.InvariantCulture);
        // One epoch over 6,000 images: a CNN that learned anything gets well above chance (0.1) on the PNG files.
        Assert.InRange(accuracy, 0.6, 1.0);
    }

    [GeneratedRegex(@"^model=(\S+) accuracy=([0-9.]+)$", RegexOptions.Multiline)]
    private static partial Regex ResultLine();
}
