using System.Diagnostics;

namespace Arc.Packages.Tests.Support;

/// <summary>What a finished command printed and how it exited.</summary>
public sealed record Outcome(string CommandLine, int Exit, string Stdout, string Stderr)
{
    /// <summary>Everything, for assertion messages.</summary>
    public string Output => $"{CommandLine}{Environment.NewLine}exit {Exit}{Environment.NewLine}{Stdout}{Environment.NewLine}{Stderr}";
}

/// <summary>Runs a program to its end (or kills its process tree at the guard) and keeps what it printed.</summary>
public static class Command
{
    /// <summary>Runs <paramref name="program"/> in <paramref name="folder"/> with extra <paramref name="environment"/> variables.</summary>
    public static async Task<Outcome> RunAsync(string folder, IReadOnlyDictionary<string, string> environment, TimeSpan guard,
        string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        process.StandardInput.Close(); // nothing asks: a prompt must fail, not hang
        var ct = TestContext.Current.CancellationToken;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct).WaitAsync(guard, ct);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        return new Outcome($"{program} {string.Join(' ', arguments)}", process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The <c>dotnet</c> that runs this process (so the same SDK and runtime), else the one on PATH.</summary>
    public static string Dotnet()
    {
        string? host = Environment.ProcessPath;
        return host is not null && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
    }
}
