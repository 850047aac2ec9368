using System.Globalization;
using System.Net;
using Arc.Tracking.Server;
using Tomlyn;
using Tomlyn.Model;

namespace Arc.Cli;

/// <summary>
/// Reads the server's TOML config (the format <see cref="ServerConfigTemplate"/> writes) strictly: an unknown table or
/// key, a value of the wrong type or out of range is refused with the file, the key and the rule, so a typo never runs
/// a server other than the one meant. A secret may be given in the file or, with <c>*_env</c>, as the name of an
/// environment variable that holds it.
/// </summary>
internal sealed class ServerConfigReader
{
    private readonly string _file;

    private ServerConfigReader(string file) => _file = file;

    public static ServerConfig Read(string file)
    {
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read the config {file}: {e.Message}");
        }
        TomlTable root;
        try
        {
            root = TomlSerializer.Deserialize<TomlTable>(text) ?? new TomlTable();
        }
        catch (TomlException e)
        {
            throw new CliException($"config {file} is not valid TOML: {e.Message}");
        }
        return new ServerConfigReader(file).Read(root);
    }

    private ServerConfig Read(TomlTable root)
    {
        Known(root, "", "server", "store", "blobs", "tokens");
        var config = new ServerConfig();
        if (Table(root, "server", "") is { } server)
        {
            Known(server, "server", "address", "port", "metrics", "metrics_port", "web", "web_port", "tls");
            config = config with
            {
                Address = String(server, "address", "server") is { } address
                    ? IPAddress.TryParse(address, out var ip) ? ip : throw Error("server.address", $"\"{address}\" is not an IP address (127.0.0.1, ::1, 0.0.0.0 or an address of this machine)")
                    : config.Address,
                Port = Integer(server, "port", "server", 0, 65535) is { } port ? (int)port : config.Port,
                Metrics = Boolean(server, "metrics", "server") ?? config.Metrics,
                MetricsPort = Integer(server, "metrics_port", "server", 0, 65535) is { } metricsPort ? (int)metricsPort : config.MetricsPort,
                Web = Boolean(server, "web", "server") ?? config.Web,
                WebPort = Integer(server, "web_port", "server", 0, 65535) is { } webPort ? (int)webPort : config.WebPort,
            };
            if (Table(server, "tls", "server") is { } tls)
            {
                Known(tls, "server.tls", "certificate", "key");
                config = config with
                {
                    CertificatePath = Path(tls, "certificate", "server.tls") ?? throw Error("server.tls.certificate", "is required in [server.tls] (a PEM certificate file)"),
                    KeyPath = Path(tls, "key", "server.tls") ?? throw Error("server.tls.key", "is required in [server.tls] (the certificate's PEM private key file)"),
                };
            }
        }
        if (Table(root, "store", "") is { } store) config = config with { Store = ReadStore(store) };
        if (Table(root, "blobs", "") is { } blobs) config = config with { Blobs = ReadBlobs(blobs) };
        if (root.TryGetValue("tokens", out var tokens)) config = config with { Tokens = ReadTokens(tokens) };
        return config;
    }

    private StoreConfig ReadStore(TomlTable store)
    {
        Known(store, "store", "kind", "path", "connection_string", "connection_string_env");
        string kind = String(store, "kind", "store") ?? "sqlite";
        switch (kind)
        {
            case "sqlite":
                Absent(store, "store", "sqlite", "connection_string", "connection_string_env");
                return new StoreConfig { Kind = kind, Path = Path(store, "path", "store") ?? SqliteMetadataStore.DefaultPath };
            case "postgres":
                Absent(store, "store", "postgres", "path");
                return new StoreConfig { Kind = kind, ConnectionString = Secret(store, "connection_string", "store", required: true) };
            default:
                throw Error("store.kind", $"\"{kind}\" is not a store: \"sqlite\" or \"postgres\"");
        }
    }

    private BlobConfig ReadBlobs(TomlTable blobs)
    {
        Known(blobs, "blobs", "kind", "directory", "endpoint", "bucket", "prefix", "region", "access_key_id", "secret_access_key", "secret_access_key_env");
        string kind = String(blobs, "kind", "blobs") ?? "disk";
        switch (kind)
        {
            case "disk":
                Absent(blobs, "blobs", "disk", "endpoint", "bucket", "prefix", "region", "access_key_id", "secret_access_key", "secret_access_key_env");
                return new BlobConfig { Kind = kind, Directory = Path(blobs, "directory", "blobs") ?? new BlobConfig().Directory };
            case "s3":
                Absent(blobs, "blobs", "s3", "directory");
                string? endpoint = String(blobs, "endpoint", "blobs");
                Uri? serviceUrl = null;
                if (endpoint is not null && (!Uri.TryCreate(endpoint, UriKind.Absolute, out serviceUrl) || serviceUrl.Scheme is not ("http" or "https")))
                    throw Error("blobs.endpoint", $"\"{endpoint}\" is not an http:// or https:// address");
                var options = new S3BlobStoreOptions
                {
                    Bucket = String(blobs, "bucket", "blobs") ?? throw Error("blobs.bucket", "is required for kind = \"s3\""),
                    Prefix = String(blobs, "prefix", "blobs") ?? "",
                    Region = String(blobs, "region", "blobs") ?? "us-east-1",
                    ServiceUrl = serviceUrl,
                    AccessKeyId = String(blobs, "access_key_id", "blobs"),
                    SecretAccessKey = Secret(blobs, "secret_access_key", "blobs", required: false),
                };
                try
                {
                    options.Validate();
                }
                catch (ArgumentException e)
                {
                    throw Error("blobs", e.Message);
                }
                return new BlobConfig { Kind = kind, S3 = options };
            default:
                throw Error("blobs.kind", $"\"{kind}\" is not a blob store: \"disk\" or \"s3\"");
        }
    }

    private List<TrackingToken> ReadTokens(object value)
    {
        if (value is not TomlTableArray array) throw Error("tokens", "must be an array of tables ([[tokens]] sections)");
        var tokens = new List<TrackingToken>();
        for (int i = 0; i < array.Count; i++)
        {
            var table = array[i];
            string at = $"tokens[{i}]";
            Known(table, at, "name", "secret", "secret_env", "namespaces");
            string name = String(table, "name", at) ?? throw Error(at + ".name", "is required (what the token is for: ci, alice)");
            string secret = Secret(table, "secret", at, required: true)!;
            if (Table(table, "namespaces", at) is not { } grants) throw Error(at + ".namespaces", "is required: { vision = \"write\", nlp = \"read\" } (\"*\" for every namespace)");
            var namespaces = new Dictionary<string, TrackingAccess>(StringComparer.Ordinal);
            foreach (var (space, access) in grants)
                namespaces[space] = access switch
                {
                    "read" => TrackingAccess.Read,
                    "write" => TrackingAccess.Write,
                    _ => throw Error($"{at}.namespaces.{space}", $"{Show(access)} is not \"read\" or \"write\""),
                };
            try
            {
                tokens.Add(new TrackingToken(name, secret, namespaces));
            }
            catch (ArgumentException e)
            {
                throw Error(at, e.Message);
            }
        }
        return tokens;
    }

    /// <summary>A secret from <c>key</c> or from the environment variable <c>key_env</c> names (exactly one of them).</summary>
    private string? Secret(TomlTable table, string key, string at, bool required)
    {
        string? inline = String(table, key, at);
        string? variable = String(table, key + "_env", at);
        if (inline is not null && variable is not null) throw Error($"{at}.{key}", $"give {key} or {key}_env, not both");
        if (variable is not null)
            return Environment.GetEnvironmentVariable(variable) is { Length: > 0 } fromEnvironment
                ? fromEnvironment
                : throw Error($"{at}.{key}_env", $"the environment variable {variable} is not set");
        if (inline is null && required) throw Error($"{at}.{key}", $"is required ({key} = \"…\" or {key}_env = \"VARIABLE\")");
        return inline;
    }

    private void Known(TomlTable table, string at, params string[] keys)
    {
        foreach (var key in table.Keys)
            if (!keys.Contains(key, StringComparer.Ordinal))
                throw Error(at.Length == 0 ? key : $"{at}.{key}",
                    $"is not a setting here; {(at.Length == 0 ? "the file" : $"[{at}]")} has {string.Join(", ", keys)}");
    }

    private void Absent(TomlTable table, string at, string kind, params string[] keys)
    {
        foreach (var key in keys)
            if (table.ContainsKey(key)) throw Error($"{at}.{key}", $"does not apply to kind = \"{kind}\"");
    }

    private TomlTable? Table(TomlTable table, string key, string at) => Get(table, key) switch
    {
        null => null,
        TomlTable t => t,
        var other => throw Error(Join(at, key), $"must be a table, not {Show(other)}"),
    };

    private string? String(TomlTable table, string key, string at) => Get(table, key) switch
    {
        null => null,
        string s => s,
        var other => throw Error(Join(at, key), $"must be a string, not {Show(other)}"),
    };

    /// <summary>A path; <c>~/</c> at its start is the home folder.</summary>
    private string? Path(TomlTable table, string key, string at) => String(table, key, at) is { } path
        ? path.StartsWith("~/", StringComparison.Ordinal)
            ? System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..])
            : System.IO.Path.GetFullPath(path, System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(_file))!)
        : null;

    private long? Integer(TomlTable table, string key, string at, long min, long max) => Get(table, key) switch
    {
        null => null,
        long n when n >= min && n <= max => n,
        long n => throw Error(Join(at, key), $"{n} is outside {min}–{max}"),
        var other => throw Error(Join(at, key), $"must be an integer, not {Show(other)}"),
    };

    private bool? Boolean(TomlTable table, string key, string at) => Get(table, key) switch
    {
        null => null,
        bool b => b,
        var other => throw Error(Join(at, key), $"must be true or false, not {Show(other)}"),
    };

    private static object? Get(TomlTable table, string key) => table.TryGetValue(key, out var value) ? value : null;

    private static string Join(string at, string key) => at.Length == 0 ? key : $"{at}.{key}";

    private static string Show(object? value) => value switch
    {
        string s => $"\"{s}\"",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        TomlTable => "a table",
        TomlArray or TomlTableArray => "an array",
        _ => value?.GetType().Name ?? "nothing",
    };

    private CliException Error(string key, string rule) => new($"config {_file}: {key} {rule}");
}
