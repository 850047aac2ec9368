using System.CommandLine;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using Arc.Tracking;
using Arc.Tracking.Server;
using Arc.Tracking.Web;

namespace Arc.Cli;

/// <summary><c>arc server init-config</c> and <c>arc server start</c>.</summary>
internal static class ServerCommands
{
    public static Command Build()
    {
        var command = new Command("server", "Run a tracking server");
        command.Add(InitConfig());
        command.Add(Start());
        return command;
    }

    private static Command InitConfig()
    {
        var path = new Option<string?>("--path") { Description = $"Where to write it (default: {ServerConfig.DefaultPath})", HelpName = "file" };
        var force = new Option<bool>("--force") { Description = "Replace a file that is there" };
        var command = new Command("init-config", "Write a commented server config with the defaults") { path, force };
        command.SetClientAction((context, _) =>
        {
            string file = Path.GetFullPath(context.Parse.GetValue(path) ?? ServerConfig.DefaultPath);
            if (File.Exists(file) && !context.Parse.GetValue(force))
                throw new CliException($"{file} exists: pass --force to replace it");
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            // 0600 from the first byte: the file is where tokens and connection strings go.
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var writer = new StreamWriter(file, System.Text.Encoding.UTF8, options)) writer.Write(ServerConfigTemplate.Text());
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            context.Output.WriteLine($"wrote {file}; start the server with: arc server start --config {file}");
            return Task.CompletedTask;
        });
        return command;
    }

    private static Command Start()
    {
        var config = new Option<string?>("--config") { Description = $"The config file (default: {ServerConfig.DefaultPath} when it exists, else the defaults)", HelpName = "file" };
        var command = new Command("start", "Run the tracking server in the foreground until Ctrl+C or SIGTERM") { config };
        command.SetClientAction(async (context, cancellationToken) =>
        {
            string? file = context.Parse.GetValue(config);
            if (file is null && File.Exists(ServerConfig.DefaultPath)) file = ServerConfig.DefaultPath;
            var settings = file is null ? new ServerConfig() : ServerConfigReader.Read(Path.GetFullPath(file));
            await RunAsync(settings, file, context.Output, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task RunAsync(ServerConfig config, string? file, Output output, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Ctrl+C and SIGTERM stop the server gracefully (running calls finish, the store closes) instead of killing it.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        var certificate = LoadCertificate(config);
        var store = await OpenStoreAsync(config.Store, stop.Token).ConfigureAwait(false);
        await using (store.ConfigureAwait(false))
        {
            var (blobs, blobsText) = OpenBlobs(config.Blobs);
        using var ownedBlobs = blobs as IDisposable;
            TrackingServer server;
            try
            {
                server = await TrackingServer.StartAsync(store, blobs, new TrackingServerOptions
                {
                    Address = config.Address,
                    Port = config.Port,
                    Tokens = config.Tokens,
                    Certificate = certificate,
                    MetricsPort = config.Metrics ? config.MetricsPort : null,
                }, stop.Token).ConfigureAwait(false);
            }
            catch (InvalidOperationException e)
            {
                throw new CliException(e.Message);
            }
            catch (IOException e)
            {
                throw new CliException($"cannot listen on {config.Address}:{config.Port}: {e.Message}");
            }
            await using (server.ConfigureAwait(false))
            {
                var web = config.Web ? await StartWebAsync(config, store, blobs, certificate, stop.Token).ConfigureAwait(false) : null;
                try
                {
                    // Tests and scripts read the address from this first line ("listening on <url>").
                    output.WriteLine($"arc tracking server listening on {server.Address}");
                    output.WriteLine($"  config:  {(file is null ? "(defaults)" : Path.GetFullPath(file))}");
                    output.WriteLine($"  store:   {(config.Store.Kind == "sqlite" ? "sqlite " + config.Store.Path : "postgres")}");
                    output.WriteLine($"  blobs:   {blobsText}");
                    output.WriteLine($"  access:  {(config.Tokens.Count == 0 ? "open (loopback only, no token)" : $"{config.Tokens.Count} token(s): {string.Join(", ", config.Tokens.Select(t => t.Name))}")}");
                    output.WriteLine($"  metrics: {server.MetricsAddress?.ToString() ?? "off"}");
                    output.WriteLine($"  web:     {web?.Address.ToString() ?? "off"}");
                    output.WriteLine("Press Ctrl+C to stop.");
                    try
                    {
                        await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                    }
                    output.WriteLine("arc tracking server stopping");
                }
                finally
                {
                    if (web is not null) await web.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
        output.WriteLine("arc tracking server stopped");

        void Stop(PosixSignalContext signal)
        {
            signal.Cancel = true;
            stop.Cancel();
        }
    }

    /// <summary>The web UI on its own port (HTTP/1.1 for browsers), over the same stores and with the same tokens.</summary>
    private static async Task<TrackingWebServer> StartWebAsync(ServerConfig config, IMetadataStore store, IBlobStore blobs,
        System.Security.Cryptography.X509Certificates.X509Certificate2? certificate, CancellationToken cancellationToken)
    {
        try
        {
            return await TrackingWebServer.StartAsync(store, blobs, new TrackingWebOptions
            {
                Address = config.Address,
                Port = config.WebPort,
                Tokens = config.Tokens,
                Certificate = certificate,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            throw new CliException(e.Message);
        }
        catch (IOException e)
        {
            throw new CliException($"cannot listen on {config.Address}:{config.WebPort} for the web UI (web_port; web = false turns it off): {e.Message}");
        }
    }

    private static async Task<IMetadataStore> OpenStoreAsync(StoreConfig store, CancellationToken cancellationToken)
    {
        try
        {
            return store.Kind == "postgres"
                ? await PostgresMetadataStore.OpenAsync(store.ConnectionString!, cancellationToken).ConfigureAwait(false)
                : await SqliteMetadataStore.OpenAsync(store.Path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new CliException($"cannot open the {store.Kind} store{(store.Kind == "sqlite" ? " " + store.Path : "")}: {e.Message}");
        }
    }

    /// <summary>Opens the blob store the config names (file contents: UploadFile, DownloadFile) and says which it is.</summary>
    private static (IBlobStore Store, string Description) OpenBlobs(BlobConfig blobs)
    {
        if (blobs.Kind == "s3")
        {
            try
            {
                return (S3BlobStore.Create(blobs.S3!), $"s3 bucket {blobs.S3!.Bucket}{(blobs.S3.ServiceUrl is { } url ? " at " + url : "")}");
            }
            catch (ArgumentException e)
            {
                throw new CliException($"cannot use the S3 blob store: {e.Message}");
            }
        }
        try
        {
            return (new DiskBlobStore(blobs.Directory), "disk " + blobs.Directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new CliException($"cannot use the blob folder {blobs.Directory}: {e.Message}");
        }
    }

    private static X509Certificate2? LoadCertificate(ServerConfig config)
    {
        if (config.CertificatePath is null) return null;
        try
        {
            return X509Certificate2.CreateFromPemFile(config.CertificatePath, config.KeyPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new CliException($"cannot load the TLS certificate {config.CertificatePath} with key {config.KeyPath}: {e.Message}");
        }
    }
}
