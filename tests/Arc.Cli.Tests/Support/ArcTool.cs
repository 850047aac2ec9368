using System.Diagnostics;
using System.Text;

namespace Arc.Cli.Tests.Support;

/// <summary>What one run of the tool printed and how it ended.</summary>
internal sealed record ToolResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}

/// <summary>
/// Runs the real <c>arc</c> tool (Arc.Cli.dll, built beside the tests) as a child process with <c>dotnet</c>, in a
/// clean environment: no ARC_TRACKING_* variable of the machine leaks in; HOME points into the test's scratch folder so
/// that defaults (~/.arc/tracking) never touch the real home.
/// </summary>
internal static class ArcTool
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "Arc.Cli.dll");

    private static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    public static ProcessStartInfo StartInfo(string home, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(Dotnet)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(Dll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment.Remove("ARC_TRACKING_URI");
        start.Environment.Remove("ARC_TRACKING_TOKEN");
        start.Environment["HOME"] = home;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        return start;
    }

    /// <summary>Runs the tool to its end (2 minutes at most) and returns its exit code and output.</summary>
    public static async Task<ToolResult> RunAsync(string home, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var process = Process.Start(StartInfo(home, args, environment))!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"arc {string.Join(' ', args)} did not end in 2 minutes");
        }
        return new ToolResult(process.ExitCode, await output, await error);
    }
}
