using System.CommandLine;
using Arc.Tracking;
using Arc.Tracking.Server;

namespace Arc.Cli;

/// <summary>
/// What a client command works with: its output and the tracking store it names, a server (<c>http(s)://host:port</c>,
/// through a <see cref="TrackingServerClient"/>) or an embedded store (<c>file:&lt;dir&gt;</c>: the SQLite database that
/// training with that destination writes, opened in this process).
/// </summary>
internal sealed class CommandContext : IAsyncDisposable
{
    private IMetadataStore? _store;

    private CommandContext(ParseResult parse, TextWriter writer)
    {
        Parse = parse;
        Output = new Output(writer, parse.GetValue(GlobalOptions.Json));
        string? option = parse.GetValue(GlobalOptions.Server);
        string text = option ?? NonEmpty(Environment.GetEnvironmentVariable(TrackingDestination.EnvironmentVariable)) ?? GlobalOptions.DefaultServer;
        string from = option is null ? TrackingDestination.EnvironmentVariable : "--server";
        if (text.TrimStart().StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            Embedded = Destination(text, from);
            if (parse.GetValue(GlobalOptions.Token) is not null)
                throw new CliException($"--token is for a tracking server; the embedded store {Embedded} is opened directly and takes none", ExitCodes.Usage);
        }
        else
        {
            Server = ServerAddress(text, from);
            Token = parse.GetValue(GlobalOptions.Token) ?? NonEmpty(Environment.GetEnvironmentVariable("ARC_TRACKING_TOKEN"));
        }
    }

    public ParseResult Parse { get; }
    public Output Output { get; }

    /// <summary>The tracking server, or null for an embedded store.</summary>
    public Uri? Server { get; }

    /// <summary>The embedded store (<c>file:&lt;dir&gt;</c>), or null for a server.</summary>
    public TrackingDestination? Embedded { get; }

    public string? Token { get; }

    /// <summary>Where the records are, as error messages name it.</summary>
    public string Where => Server?.ToString() ?? Embedded!.ToString();

    /// <summary>The store (<see cref="OpenAsync"/> opens it before the command runs).</summary>
    public IMetadataStore Store => _store ?? throw new InvalidOperationException("the tracking store is not open yet");

    /// <summary>
    /// Opens the store: a client of the server (which connects on its first call), or the embedded database, which must
    /// exist already.
    /// </summary>
    public async ValueTask OpenAsync(CancellationToken cancellationToken)
    {
        if (_store is not null) return;
        if (Server is { } server)
        {
            _store = new TrackingServerClient(server, Token);
            return;
        }
        // A read must not leave an empty database behind a mistyped path, and a write into a folder nothing was trained
        // into is more likely a typo than a wish: both are refused, saying how such a store comes to be.
        string database = Path.Combine(Embedded!.Directory!, "metadata.db");
        if (!File.Exists(database))
            throw new CliException(
                $"no tracking store at {Embedded}: {database} does not exist (training with --tracking {Embedded} creates it)", ExitCodes.NotFound);
        _store = await SqliteMetadataStore.OpenAsync(database, cancellationToken).ConfigureAwait(false);
    }

    public static CommandContext For(ParseResult parse) => new(parse, parse.InvocationConfiguration.Output);

    public async ValueTask DisposeAsync()
    {
        if (_store is { } store) await store.DisposeAsync().ConfigureAwait(false);
    }

    private static TrackingDestination Destination(string text, string from)
    {
        try
        {
            return TrackingDestination.Parse(text);
        }
        catch (ArgumentException e)
        {
            throw new CliException($"{e.Message} (from {from})", ExitCodes.Usage);
        }
    }

    private static Uri ServerAddress(string text, string from)
        => Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new CliException($"tracking store '{text}' is not file:<dir> and is not an http:// or https:// address (from {from})", ExitCodes.Usage);

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
