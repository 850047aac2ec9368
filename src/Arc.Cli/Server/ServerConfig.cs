using System.Net;
using Arc.Tracking.Server;

namespace Arc.Cli;

/// <summary>What <c>arc server start</c> runs, as read from the TOML config (<see cref="ServerConfigReader"/>).</summary>
internal sealed record ServerConfig
{
    public IPAddress Address { get; init; } = IPAddress.Loopback;
    public int Port { get; init; } = TrackingServerOptions.DefaultPort;
    public bool Metrics { get; init; } = true;
    public int MetricsPort { get; init; } = TrackingServerOptions.DefaultMetricsPort;
    public bool Web { get; init; } = true;
    public int WebPort { get; init; } = Arc.Tracking.Web.TrackingWebOptions.DefaultPort;

    /// <summary>The PEM certificate (chain) and its PEM private key; both or neither.</summary>
    public string? CertificatePath { get; init; }
    public string? KeyPath { get; init; }

    public StoreConfig Store { get; init; } = new();
    public BlobConfig Blobs { get; init; } = new();
    public IReadOnlyList<TrackingToken> Tokens { get; init; } = [];

    /// <summary>Where Arc keeps its tracking data by default (<c>~/.arc/tracking</c>).</summary>
    public static string DefaultDirectory => Path.GetDirectoryName(SqliteMetadataStore.DefaultPath)!;

    /// <summary>Where <c>arc server init-config</c> writes and <c>arc server start</c> looks without <c>--config</c>.</summary>
    public static string DefaultPath => Path.Combine(DefaultDirectory, "server.toml");
}

/// <summary>The metadata store: <c>sqlite</c> at a path, or <c>postgres</c> with an Npgsql connection string.</summary>
internal sealed record StoreConfig
{
    public string Kind { get; init; } = "sqlite";
    public string Path { get; init; } = SqliteMetadataStore.DefaultPath;
    public string? ConnectionString { get; init; }
}

/// <summary>The blob store: <c>disk</c> under a folder, or <c>s3</c> (an endpoint and a bucket).</summary>
internal sealed record BlobConfig
{
    public string Kind { get; init; } = "disk";
    public string Directory { get; init; } = System.IO.Path.Combine(ServerConfig.DefaultDirectory, "blobs");
    public S3BlobStoreOptions? S3 { get; init; }
}
