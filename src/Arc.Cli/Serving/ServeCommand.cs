using System.CommandLine;
using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using Arc.Serving;

namespace Arc.Cli;

/// <summary>
/// <c>arc serve &lt;archive|module dir|assembly&gt; &lt;model_dir&gt;</c>: seed 004's serving runner. Opens the archive or
/// module dir (the archive loader, <c>ModelModule</c>), finds the inference module of the model the directory holds, and serves it over HTTP (docs/serving.md) in the
/// foreground until Ctrl+C or SIGTERM, which drain the requests in flight.
/// </summary>
internal static class ServeCommand
{
    public static Command Build()
    {
        var module = new Argument<string>("module") { Description = "A model archive (.tar.gz), a module dir (a build folder, with or without manifest.json) or the model's .dll" };
        var modelDir = new Argument<string>("model_dir") { Description = "The model directory training wrote (model.json, hyperparameters.msgpack, weights.bin)" };
        var port = new Option<int>("--port") { Description = $"The port (0: a free one)", DefaultValueFactory = _ => ServingOptions.DefaultPort };
        var http2Port = new Option<int?>("--http2-port") { Description = "Also serve plain HTTP/2 (prior knowledge) on this port (0: a free one); with TLS --port speaks both" };
        var bind = new Option<string>("--bind") { Description = "The address to listen on; anything but loopback needs --token-file and --tls-cert", DefaultValueFactory = _ => "127.0.0.1" };
        var tokenFile = new Option<string?>("--token-file") { Description = "A file holding the bearer token every request must carry", HelpName = "file" };
        var tlsCert = new Option<string?>("--tls-cert") { Description = "A PEM certificate: serve HTTPS", HelpName = "file" };
        var tlsKey = new Option<string?>("--tls-key") { Description = "The PEM private key of --tls-cert", HelpName = "file" };
        var maxBatch = new Option<int>("--max-batch-size") { Description = "Dynamic batching: most rows merged into one model call (1: off; about half the requests in flight serves the most)", DefaultValueFactory = _ => 1 };
        var delay = new Option<double>("--batch-delay-ms") { Description = "Dynamic batching: how long a batch waits for more requests", DefaultValueFactory = _ => 2 };
        var maxBytes = new Option<long>("--max-request-bytes") { Description = "The largest request body (413 above it)", DefaultValueFactory = _ => new ServingOptions().MaxRequestBytes };
        var command = new Command("serve", "Serve a model over HTTP: /invocations, /ping, the Open Inference Protocol v2 under /v2, /metrics")
        {
            module, modelDir, port, http2Port, bind, tokenFile, tlsCert, tlsKey, maxBatch, delay, maxBytes,
        };
        command.SetClientAction(async (context, cancellationToken) =>
        {
            var parse = context.Parse;
            if (!IPAddress.TryParse(parse.GetValue(bind), out var address))
                throw new CliException($"--bind: '{parse.GetValue(bind)}' is not an IP address");
            var options = new ServingOptions
            {
                Address = address,
                Port = parse.GetValue(port),
                Http2Port = parse.GetValue(http2Port),
                Token = parse.GetValue(tokenFile) is { } file ? ReadToken(file) : null,
                Certificate = LoadCertificate(parse.GetValue(tlsCert), parse.GetValue(tlsKey)),
                MaxBatchSize = parse.GetValue(maxBatch),
                BatchDelay = TimeSpan.FromMilliseconds(parse.GetValue(delay)),
                MaxRequestBytes = parse.GetValue(maxBytes),
            };
            await RunAsync(parse.GetValue(module)!, parse.GetValue(modelDir)!, options, context.Output, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task RunAsync(string modulePath, string modelDir, ServingOptions options, Output output, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Ctrl+C and SIGTERM stop gracefully: readiness turns false, requests in flight are answered, then the process exits.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        Arc.Sdk.IInferenceModule module;
        string assembly;
        try
        {
            (module, assembly) = await ServingAssembly.OpenAsync(modulePath, modelDir, stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException or InvalidOperationException or BadImageFormatException or Arc.Artifacts.ArtifactFormatException or ArgumentException)
        {
            throw new CliException(e.Message);
        }
        InferenceServer server;
        try
        {
            server = await InferenceServer.StartAsync(module, modelDir, options, cancellationToken: stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or ArgumentException)
        {
            throw new CliException(e.Message);
        }
        await using (server.ConfigureAwait(false))
        {
            // Tests and scripts read the address from this first line ("listening on <url>").
            output.WriteLine($"arc model server listening on {server.Address}");
            if (server.Http2Address is { } h2) output.WriteLine($"  http/2:   {h2} (prior knowledge)");
            output.WriteLine($"  model:    {server.ModelName} from {Path.GetFullPath(modelDir)}");
            output.WriteLine($"  assembly: {assembly}");
            output.WriteLine($"  batching: {(options.MaxBatchSize > 1 ? $"up to {options.MaxBatchSize} rows, {options.BatchDelay.TotalMilliseconds} ms" : "off")}");
            output.WriteLine($"  access:   {(options.Token is null ? "open (no token)" : "bearer token")}");
            try
            {
                await server.WhenReady.WaitAsync(stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                output.WriteLine("arc model server stopping");
                return;
            }
            catch (Exception e)
            {
                throw new CliException($"model '{server.ModelName}' failed to load from {Path.GetFullPath(modelDir)}: {e.Message}");
            }
            output.WriteLine("ready. Press Ctrl+C to stop.");
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            output.WriteLine("arc model server stopping: answering the requests in flight");
        }
        output.WriteLine("arc model server stopped");

        void Stop(PosixSignalContext signal)
        {
            signal.Cancel = true;
            stop.Cancel();
        }
    }

    private static string ReadToken(string file)
    {
        try
        {
            string token = File.ReadAllText(file).Trim();
            Arc.Remote.ArcWorkerToken.Validate(token, "--token-file");
            return token;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new CliException($"--token-file {file}: {e.Message}");
        }
    }

    private static X509Certificate2? LoadCertificate(string? certificate, string? key)
    {
        if (certificate is null && key is null) return null;
        if (certificate is null || key is null) throw new CliException("--tls-cert and --tls-key go together");
        try
        {
            return X509Certificate2.CreateFromPemFile(certificate, key);
        }
        catch (Exception e) when (e is IOException or System.Security.Cryptography.CryptographicException)
        {
            throw new CliException($"cannot load --tls-cert {certificate} with --tls-key {key}: {e.Message}");
        }
    }
}
