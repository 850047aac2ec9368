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
    private readonly BenchChildProcess _child;

    private RawGrpcChild(BenchChildProcess child)
    {
        _child = child;
        Address = new Uri($"http://127.0.0.1:{int.Parse(child.ReadyLine[ReadyPrefix.Length..], CultureInfo.InvariantCulture)}");
    }

    /// <summary>The child's process id.</summary>
    public int ProcessId => _child.ProcessId;

    /// <summary>The child's address.</summary>
    public Uri Address { get; }

    /// <summary>Starts the child answering every unary call with <paramref name="unaryReply"/>; waits for its READY line.</summary>
    public static async Task<RawGrpcChild> StartAsync(byte[] unaryReply)
        => new(await BenchChildProcess.StartAsync([Argument, Convert.ToBase64String(unaryReply)], [], ReadyPrefix));

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
    public ValueTask DisposeAsync() => _child.DisposeAsync();
}
