using System.CommandLine;

namespace Arc.Cli;

/// <summary>The options every client command takes: where the records are (a server or a <c>file:</c> store), the token, and JSON output.</summary>
internal static class GlobalOptions
{
    /// <summary>The server when neither <c>--server</c> nor <c>ARC_TRACKING_URI</c> names one.</summary>
    public const string DefaultServer = "http://127.0.0.1:7740";

    public static readonly Option<string?> Server = new("--server", "--tracking")
    {
        Description = $"The tracking store: a server (http(s)://host:port) or an embedded store (file:<dir>, as training wrote it) " +
                      $"(default: $ARC_TRACKING_URI, else {DefaultServer})",
        HelpName = "uri",
        Recursive = true,
    };

    public static readonly Option<string?> Token = new("--token")
    {
        Description = "The bearer token the server asks for (default: $ARC_TRACKING_TOKEN)",
        HelpName = "token",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Write the answer as JSON (for scripts) instead of a table",
        Recursive = true,
    };
}
