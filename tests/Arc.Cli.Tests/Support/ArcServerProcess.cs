using System.Diagnostics;
using Xunit;

namespace Arc.Cli.Tests.Support;

/// <summary>
/// <c>arc server start --config …</c> as a child process: started, its printed address read from the first line
/// (<c>arc tracking server listening on http://127.0.0.1:port/</c>), and stopped with SIGTERM, as a service manager does.
/// </summary>
internal sealed class ArcServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _rest;

    private ArcServerProcess(Process process, Uri address, Uri? metrics, Uri? web, string banner, Task<string> rest)
    {
        _process = process;
        Address = address;
        MetricsAddress = metrics;
        WebAddress = web;
        Banner = banner;
        _rest = rest;
    }

    public Uri Address { get; }
    public Uri? MetricsAddress { get; }
    public Uri? WebAddress { get; }
    public string Banner { get; }

    public static async Task<ArcServerProcess> StartAsync(string home, string config, CancellationToken cancellationToken)
    {
        var process = Process.Start(ArcTool.StartInfo(home, ["server", "start", "--config", config]))!;
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        var banner = new List<string>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(1));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            banner.Add(line);
            if (line == "Press Ctrl+C to stop.") break;
        }
        if (banner.Count == 0 || !banner[0].StartsWith("arc tracking server listening on ", StringComparison.Ordinal) || banner[^1] != "Press Ctrl+C to stop.")
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(cancellationToken);
            Assert.Fail($"arc server start did not start (exit {process.ExitCode}):\n{string.Join('\n', banner)}\n{await error}");
        }
        var address = new Uri(banner[0]["arc tracking server listening on ".Length..]);
        string metricsLine = banner.Single(l => l.TrimStart().StartsWith("metrics:", StringComparison.Ordinal)).Trim()["metrics:".Length..].Trim();
        var metrics = metricsLine == "off" ? null : new Uri(metricsLine);
        string webLine = banner.Single(l => l.TrimStart().StartsWith("web:", StringComparison.Ordinal)).Trim()["web:".Length..].Trim();
        var web = webLine == "off" ? null : new Uri(webLine);
        return new ArcServerProcess(process, address, metrics, web, string.Join('\n', banner), process.StandardOutput.ReadToEndAsync(cancellationToken));
    }

    /// <summary>Sends SIGTERM and returns the exit code and the rest of the output (the server must end within 30 s).</summary>
    public async Task<(int ExitCode, string Output)> StopAsync()
    {
        if (!_process.HasExited) Signal(_process.Id, 15);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        return (_process.ExitCode, await _rest);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) await StopAsync();
        }
        finally
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.Dispose();
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Signal(int pid, int signal);
}
