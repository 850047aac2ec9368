using System.Diagnostics;
using System.Runtime.CompilerServices;
using Xunit;
using Arc.Sdk.Tests.Support;

namespace Arc.Sdk.Tests;

/// <summary>scripts/run-with-pytorch.sh: finds PyTorch's libtorch for GPU runs, or says clearly why it cannot.</summary>
public class GpuLauncherTests
{
    private static string Script([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "scripts", "run-with-pytorch.sh"));

    private static (int ExitCode, string Output) Launch(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Script());
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    [Fact]
    public void FailsWithAClearMessageWhenNoLibTorchIsFound()
    {
        var empty = TestScratch.Create().FullName;
        try
        {
            // An explicit ARC_LIBTORCH_DIR wins over python3's torch, so an empty folder must be refused, not searched around.
            var (code, output) = Launch(new Dictionary<string, string> { ["ARC_LIBTORCH_DIR"] = empty }, "/bin/true");
            Assert.Equal(3, code);
            Assert.Contains("no libtorch found", output);
            Assert.Contains("ARC_LIBTORCH_DIR", output);
            Assert.Contains(empty, output);
        }
        finally { Directory.Delete(empty, true); }
    }

    [Fact]
    public void PutsTheFoundLibTorchFirstOnTheLibraryPath()
    {
        var dir = TestScratch.Create().FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(dir, "libtorch.so"), []);
            var (code, output) = Launch(
                new Dictionary<string, string> { ["ARC_LIBTORCH_DIR"] = dir, ["LD_LIBRARY_PATH"] = "/opt/other" },
                "/usr/bin/printenv", "LD_LIBRARY_PATH");
            Assert.Equal(0, code);
            Assert.Equal($"{dir}:/opt/other", output.Trim());
        }
        finally { Directory.Delete(dir, true); }
    }
}
