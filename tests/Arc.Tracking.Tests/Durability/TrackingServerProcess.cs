using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Arc.Tracking.Tests.Durability;

/// <summary>
/// A real tracking server in a child process (tests/Arc.TrackingServerProbe: Kestrel over SQLite or PostgreSQL) on a
/// fixed loopback port, so that it can be killed with SIGKILL and started again at the same address.
/// </summary>
internal sealed class TrackingServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _errors = new();

    private TrackingServerProcess(Process process) => _process = process;

    /// <summary>A free loopback port (the kernel's choice, released for the child to take).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts the server and waits until it accepts calls.</summary>
    public static async Task<TrackingServerProcess> StartAsync(string kind, string database, int port, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardInput = true, // the child exits when this closes, so it never outlives the test
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Arc.TrackingServerProbe.dll"));
        start.ArgumentList.Add(kind);
        start.ArgumentList.Add(database);
        start.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var process = Process.Start(start) ?? throw new InvalidOperationException("the tracking server probe did not start");
        var server = new TrackingServerProcess(process);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line) lock (server._errors) server._errors.AppendLine(line);
        };
        process.BeginErrorReadLine();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
                if (line.StartsWith("LISTENING ", StringComparison.Ordinal)) return server;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
        server.Kill();
        throw new InvalidOperationException($"the tracking server on port {port} did not start; its errors: {server.Errors}");
    }

    /// <summary>What the child wrote to standard error.</summary>
    public string Errors
    {
        get { lock (_errors) return _errors.ToString(); }
    }

    /// <summary>SIGKILL: no shutdown, no flush, nothing the server could finish.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(); // SIGKILL on Unix
            _process.WaitForExit();
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
