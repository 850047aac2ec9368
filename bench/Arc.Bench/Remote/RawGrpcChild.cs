using System.Diagnostics;
using System.Globalization;

namespace Arc.Bench.Remote;

/// <summary>
/// The raw gRPC server in a child process (this benchmark program, started with <see cref="Argument"/>), so the raw
/// baseline crosses a process boundary exactly like the Arc worker does. The child prints one READY line with its port
/// and serves until its stdin closes (the parent disposed it, or died).
/// </summary>
public sealed class RawGrpcChild : IAsyncDisposable
{
    /// <summary>The hidden command-line argument that makes this program a raw server; the unary reply follows in base64.</summary>
    public const string Argument = "--serve-raw-grpc";

    private const string ReadyPrefix = "RAW-GRPC-READY port=";
    private readonly Process _process;

    private RawGrpcChild(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    /// <summary>The child's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>The child's address.</summary>
    public Uri Address { get; }

    /// <summary>Starts the child answering every unary call with <paramref name="unaryReply"/>; waits for its READY line.</summary>
    public static async Task<RawGrpcChild> StartAsync(byte[] unaryReply)
    {
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which program this is");
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        // Run as "dotnet Arc.Bench.dll" or as the apphost, whichever started this process.
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(RawGrpcChild).Assembly.Location);
        start.ArgumentList.Add(Argument);
        start.ArgumentList.Add(Convert.ToBase64String(unaryReply));
        var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {self}");
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
                if (line.StartsWith(ReadyPrefix, StringComparison.Ordinal))
                    return new RawGrpcChild(process, new Uri($"http://127.0.0.1:{int.Parse(line[ReadyPrefix.Length..], CultureInfo.InvariantCulture)}"));
            throw new InvalidOperationException($"the raw gRPC child exited (code {(process.HasExited ? process.ExitCode : -1)}) before it was ready");
        }
        catch
        {
            process.Kill();
            process.Dispose();
            throw;
        }
    }

    /// <summary>The child's side: serve until stdin closes. Returns the exit code.</summary>
    public static async Task<int> ServeAsync(string unaryReplyBase64)
    {
        await using var server = await RawGrpcServer.StartAsync(new RawReplies(Convert.FromBase64String(unaryReplyBase64), StreamMessage: []));
        Console.Out.WriteLine($"{ReadyPrefix}{server.Address.Port}");
        Console.Out.Flush();
        await Console.In.ReadToEndAsync();
        return 0;
    }

    /// <summary>Closes the child's stdin, waits briefly for it to stop, kills it otherwise.</summary>
    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
        }
        _process.Dispose();
    }
}
