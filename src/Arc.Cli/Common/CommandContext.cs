using System.CommandLine;
using Arc.Tracking;

namespace Arc.Cli;

/// <summary>What a client command works with: its output and a connected <see cref="TrackingServerClient"/>.</summary>
internal sealed class CommandContext : IDisposable
{
    private TrackingServerClient? _client;

    private CommandContext(ParseResult parse, TextWriter writer)
    {
        Parse = parse;
        Output = new Output(writer, parse.GetValue(GlobalOptions.Json));
        Server = ResolveServer(parse);
        Token = parse.GetValue(GlobalOptions.Token) ?? NonEmpty(Environment.GetEnvironmentVariable("ARC_TRACKING_TOKEN"));
    }

    public ParseResult Parse { get; }
    public Output Output { get; }
    public Uri Server { get; }
    public string? Token { get; }

    /// <summary>The client, made on first use (a command that fails on its arguments never opens a connection).</summary>
    public TrackingServerClient Client => _client ??= new TrackingServerClient(Server, Token);

    public static CommandContext For(ParseResult parse) => new(parse, parse.InvocationConfiguration.Output);

    public void Dispose() => _client?.Dispose();

    private static Uri ResolveServer(ParseResult parse)
    {
        string text = parse.GetValue(GlobalOptions.Server)
            ?? NonEmpty(Environment.GetEnvironmentVariable("ARC_TRACKING_URI"))
            ?? GlobalOptions.DefaultServer;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new CliException(
                $"tracking server '{text}' is not an http:// or https:// address (from {(parse.GetValue(GlobalOptions.Server) is null ? "ARC_TRACKING_URI" : "--server")})",
                ExitCodes.Usage);
        return uri;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
