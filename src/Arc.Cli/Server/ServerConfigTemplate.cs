using System.Security.Cryptography;

namespace Arc.Cli;

/// <summary>The commented config <c>arc server init-config</c> writes: every setting with its default, and the rest commented out.</summary>
internal static class ServerConfigTemplate
{
    public static string Text()
    {
        // A fresh secret for the commented token example, so that uncommenting it never leaves a guessable one.
        string secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        return $$"""
        # Arc tracking server configuration, read by `arc server start --config <this file>`.
        # Written by `arc server init-config`; docs/tracking.md ("Configuration") describes every setting.
        # Paths may start with ~/ (the home folder); other relative paths are relative to this file.

        [server]
        # The address to listen on. 127.0.0.1 (the default) is reachable only from this machine, and then no token is
        # needed. Any other address (0.0.0.0, a LAN address) needs [[tokens]] below and [server.tls]: without both the
        # server refuses to start, since anyone who can reach the port could read and write everything.
        address = "127.0.0.1"
        # The port (0: a free one, printed at start).
        port = 7740
        # Prometheus metrics at http(s)://<address>:<metrics_port>/metrics, a port of its own since Prometheus speaks
        # HTTP/1.1 (0: a free one, printed at start). With tokens configured, a scrape needs one too.
        metrics = true
        metrics_port = 7741
        # The web UI (experiments, charts, models, the event feed) at http(s)://<address>:<web_port>/, a port of its own
        # since browsers speak HTTP/1.1 there (0: a free one, printed at start). The same tokens apply (a token form).
        web = true
        web_port = 7742

        # TLS, required off loopback: a PEM certificate (chain) and its PEM private key.
        # [server.tls]
        # certificate = "/etc/arc/tracking.crt"
        # key = "/etc/arc/tracking.key"

        [store]
        # Where the metadata (experiments, metrics, models, events) lives:
        #   kind = "sqlite"   one file, embedded (the default)
        #   kind = "postgres" a PostgreSQL 15+ database shared by several servers
        kind = "sqlite"
        path = "~/.arc/tracking/metadata.db"
        # For kind = "postgres" (instead of path), an Npgsql connection string, or the name of a variable holding it:
        # connection_string = "Host=db.internal;Database=arc;Username=arc;Password=..."
        # connection_string_env = "ARC_TRACKING_POSTGRES"

        [blobs]
        # Where checkpoint and model files live, by sha256:
        #   kind = "disk"  a folder (the default)
        #   kind = "s3"    an S3-compatible bucket
        kind = "disk"
        directory = "~/.arc/tracking/blobs"
        # For kind = "s3" (instead of directory):
        # endpoint = "https://s3.example.internal"   # omit for AWS itself
        # bucket = "arc-tracking"
        # prefix = "blobs/"                            # empty or ending in /
        # region = "us-east-1"
        # access_key_id = "..."
        # secret_access_key_env = "ARC_S3_SECRET"      # or secret_access_key = "..."

        # Access tokens: a caller sends `authorization: Bearer <secret>` (arc: --token or ARC_TRACKING_TOKEN) and may then
        # read or write the namespaces its token names ("*": every namespace; "write" includes "read"). With any token
        # configured, every call needs one, on loopback too. Keep this file private (it is written with mode 0600).
        # [[tokens]]
        # name = "admin"
        # secret = "{{secret}}"
        # namespaces = { "*" = "write" }
        #
        # [[tokens]]
        # name = "dashboard"
        # secret_env = "ARC_DASHBOARD_TOKEN"
        # namespaces = { vision = "read", nlp = "read" }

        """;
    }
}
