using System.Diagnostics;

namespace Arc.Datasets.Tests.Support;

/// <summary>Runs tests/Arc.Datasets.Tests/Python/npy_check.py with Debian's /usr/bin/python3 and python3-numpy (scripts/install-prereqs.sh installs it).</summary>
internal static class Python
{
    public const string Interpreter = "/usr/bin/python3";

    public static string Script => System.IO.Path.Combine(AppContext.BaseDirectory, "Python", "npy_check.py");

    /// <summary>Runs the script in <paramref name="mode"/> on <paramref name="folder"/>; fails the test unless it exits 0. Returns its standard output.</summary>
    public static string NpyCheck(string mode, string folder)
    {
        Assert.True(File.Exists(Interpreter), $"{Interpreter} is missing: install Debian's python3 and python3-numpy (scripts/install-prereqs.sh)");
        var (code, output, errors) = Run("-c", "import numpy");
        Assert.True(code == 0, $"{Interpreter} cannot import numpy: install the Debian package python3-numpy (scripts/install-prereqs.sh).\n{errors}");
        (code, output, errors) = Run(Script, mode, folder);
        Assert.True(code == 0, $"npy_check.py {mode} failed (exit {code}):\n{output}\n{errors}");
        return output;
    }

    private static (int Code, string Output, string Errors) Run(params string[] args)
    {
        var start = new ProcessStartInfo(Interpreter) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{Interpreter} {string.Join(' ', args)} did not finish in 120 s");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
