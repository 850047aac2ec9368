using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Arc.Samples.Mnist;
using Arc.Sdk;
using Arc.Serving;
using Arc.Types;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Arc.Bench.Serving;

/// <summary>
/// HTTP model serving (docs/serving.md, issue #16's measurements), side by side in one run:
/// (a) one-digit Open Inference Protocol infer requests at concurrency 32 against <c>InferenceServer</c> without batching,
///     and against the floor: a minimal ASP.NET Core endpoint that parses the same JSON and calls the same model
///     directly (target: Arc ≥ 70 % of the floor's throughput);
/// (b) the CNN at concurrency 64 with dynamic batching (32 rows, 2 ms: half the concurrency, so that one batch fills
///     while the other runs) against without (target ≥ 3×), p50 and p99 each, and beside it batches as large as the
///     concurrency (64 rows, 2 ms), shown but not judged, with the mean rows per model call of each batched case;
/// (b′) the same with the tensor sent as binary data (the OIP binary-tensor extension) instead of a JSON array.
/// Cases take turns for three rounds, each case starting on a quiet machine (<see cref="QuietRuns"/>); each figure is the
/// median round. A ratio taken at load above 1 is "not judged". The clients run in this process on keep-alive
/// connections of their own (<see cref="RawHttpConnection"/>), as cheap as a load tool, and each row prints the process's
/// CPU time per request, the clients' and the server's together.
/// </summary>
internal static class ServingGroup
{
    private const int Rounds = 3;

    public static void Run(BenchOptions options) => RunAsync(options).GetAwaiter().GetResult();

    private static async Task RunAsync(BenchOptions options)
    {
        Console.WriteLine("serving: HTTP inference (InferenceServer on Kestrel, loopback clients)");
        string before = MachineLoad.Line();
        Console.WriteLine($"  loadavg before: {before}");
        string root = Directory.CreateTempSubdirectory("arc-bench-serving-").FullName;
        try
        {
            byte[] body = InferBody();
            var (binaryBody, binaryHeaderLength) = BinaryInferBody();
            string mlpDir = await SaveAsync(root, "mlp", MlpClassifier.Registration, MlpClassifier.Create(new MlpClassifier.Hyperparameters(Seed: 1)), new MlpClassifier.Hyperparameters(Seed: 1));
            string cnnDir = await SaveAsync(root, "cnn", ConvClassifier.Registration, ConvClassifier.Create(new ConvClassifier.Hyperparameters(Seed: 1)), new ConvClassifier.Hyperparameters(Seed: 1));

            await using var arc = await StartAsync(new MlpClassifier.InferenceModule(), mlpDir, 1);
            await using var floor = await Floor.StartAsync(new MlpClassifier.InferenceModule().LoadModel(mlpDir));
            await using var unbatched = await StartAsync(new ConvClassifier.InferenceModule(), cnnDir, 1);
            await using var batched = await StartAsync(new ConvClassifier.InferenceModule(), cnnDir, 32);
            await using var wholeBatch = await StartAsync(new ConvClassifier.InferenceModule(), cnnDir, 64);

            // (b′): (b) with the tensor as raw bytes after a short JSON header (the OIP binary-tensor extension): the same
            // CNN work per request with less JSON for the clients and the server, which share the two cores with it.
            var cases = new (string Name, InferenceServer? Server, Uri Url, int Concurrency, byte[] Body, int? HeaderLength)[]
            {
                ("(a) floor: minimal endpoint, MLP", null, new Uri(floor.Address, "infer"), 32, body, null),
                ("(a) Arc InferenceServer, MLP, no batching", null, Infer(arc), 32, body, null),
                ("(b) CNN without batching", null, Infer(unbatched), 64, body, null),
                ("(b) CNN with dynamic batching (32 rows, 2 ms)", batched, Infer(batched), 64, body, null),
                ("    batches of 64 rows, 2 ms (not judged)", wholeBatch, Infer(wholeBatch), 64, body, null),
                ("(b′) CNN without batching, binary tensor", null, Infer(unbatched), 64, binaryBody, binaryHeaderLength),
                ("(b′) CNN with dynamic batching, binary tensor", batched, Infer(batched), 64, binaryBody, binaryHeaderLength),
                ("    batches of 64 rows, binary (not judged)", wholeBatch, Infer(wholeBatch), 64, binaryBody, binaryHeaderLength),
            };
            foreach (var c in cases) await LoadAsync(c.Server, c.Url, c.Body, c.HeaderLength, c.Concurrency, TimeSpan.FromSeconds(0.5)); // warm-up
            // Every case keeps both cores busy: each one waits for the 1-minute load to fall first, so that no case
            // runs in the wake of the one before it and the figure can be judged (a quiet machine throughout).
            var quiet = new QuietRuns(startBelow: options.Quick ? double.PositiveInfinity : 0.6);
            var results = cases.Select(_ => new List<LoadResult>()).ToArray();
            for (int round = 0; round < Rounds; round++)
                for (int i = 0; i < cases.Length; i++)
                {
                    await quiet.StartAsync();
                    var result = await LoadAsync(cases[i].Server, cases[i].Url, cases[i].Body, cases[i].HeaderLength, cases[i].Concurrency, options.CaseDuration);
                    if (quiet.End()) results[i].Add(result);
                    else i--; // the load rose above 1 during the case: it is done again (QuietRuns)
                }

            var (oneRow, perRowBatched) = ModelAlone(new ConvClassifier.InferenceModule().LoadModel(cnnDir), options);

            Console.WriteLine($"  {"case",-48} {"req/s",10} {"p50 ms",9} {"p99 ms",9} {"CPU µs/req",11} {"rows/call",10}");
            var medians = results.Select(Median).ToArray();
            for (int i = 0; i < cases.Length; i++)
                Console.WriteLine($"  {cases[i].Name,-48} {medians[i].PerSecond,10:0} {medians[i].P50Ms,9:0.00} {medians[i].P99Ms,9:0.00} {medians[i].CpuMicroseconds,11:0} " +
                                  (cases[i].Server is null ? "" : $"{medians[i].RowsPerCall,10:0.0}"));
            string after = MachineLoad.Line();
            double a = medians[1].PerSecond / medians[0].PerSecond, b = medians[3].PerSecond / medians[2].PerSecond,
                binary = medians[6].PerSecond / medians[5].PerSecond;
            Console.WriteLine($"  (a) Arc / floor throughput: {a:0.00} (target >= 0.70): {MachineLoad.Verdict(a >= 0.70, quiet.Highest)}");
            Console.WriteLine($"  (b) batched / unbatched throughput: {b:0.00} (target >= 3.00): {MachineLoad.Verdict(b >= 3.0, quiet.Highest)}");
            Console.WriteLine($"  (b′) the same with binary tensors: {binary:0.00} (target >= 3.00): {MachineLoad.Verdict(binary >= 3.0, quiet.Highest)}");
            Console.WriteLine($"  batches of 64 rows against none (not judged): JSON {medians[4].PerSecond / medians[2].PerSecond:0.00}, binary {medians[7].PerSecond / medians[5].PerSecond:0.00}");
            Console.WriteLine($"  the CNN alone, in process: {oneRow:0} µs for one row, {perRowBatched:0} µs a row in batches of 64 " +
                              $"(batching's ceiling without HTTP: {oneRow / perRowBatched:0.0}×; one row alone allows {1e6 / oneRow:0} req/s)");
            Console.WriteLine($"  the HTTP ceiling at this load: (a)'s Arc MLP row, {medians[1].PerSecond:0} req/s; batching cannot lift the CNN past it");
            Console.WriteLine($"  1-minute load at each case's start→end: {quiet.Describe()}");
            Console.WriteLine($"  loadavg after: {after}");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }


    private static async Task<InferenceServer> StartAsync(IInferenceModule module, string dir, int maxBatch)
    {
        var server = await InferenceServer.StartAsync(module, dir, new ServingOptions { MaxBatchSize = maxBatch, BatchDelay = TimeSpan.FromMilliseconds(2) });
        await server.WhenReady;
        return server;
    }

    private static async Task<string> SaveAsync<TModel, THyperparameters>(string root, string name, ModelRegistration<TModel, THyperparameters, ImageData, ClassData> registration,
        TModel model, THyperparameters hyperparameters)
        where TModel : class, ISupervisedModel<ImageData, ClassData>
        where THyperparameters : class
    {
        string dir = Path.Combine(root, name);
        await ModelDirectory.SaveAsync(dir, new TrainedModelInfo { Model = registration.Name, Type = typeof(TModel).FullName!, Job = "bench" },
            registration.WriteParameters(hyperparameters), model);
        (model as IDisposable)?.Dispose();
        return dir;
    }

    /// <summary>One digit as an Open Inference Protocol JSON request: what both sides of (a) parse.</summary>
    private static byte[] InferBody()
    {
        var random = new Random(5);
        var pixels = Enumerable.Range(0, MnistDigits.PixelsPerImage).Select(_ => MathF.Round(random.NextSingle(), 3)).ToArray();
        return JsonSerializer.SerializeToUtf8Bytes(new { inputs = new[] { new { name = "image", shape = new[] { 1, 1, 28, 28 }, datatype = "FP32", data = pixels } } });
    }

    /// <summary>
    /// The CNN's own cost with no HTTP: µs for a one-row predict, and µs a row in 64-row predicts, each the median of
    /// rounds that take turns. Their ratio bounds what batching can win when the model is all the work.
    /// </summary>
    private static (double OneRowMicroseconds, double PerRowBatchedMicroseconds) ModelAlone(ConvClassifier model, BenchOptions options)
    {
        var random = new Random(3);
        var one = new ImageData(ArcArray.From(Enumerable.Range(0, 784).Select(_ => random.NextSingle()).ToArray(), 1, 1, 28, 28));
        var many = new ImageData(ArcArray.From(Enumerable.Range(0, 64 * 784).Select(_ => random.NextSingle()).ToArray(), 64, 1, 28, 28));
        for (int i = 0; i < 20; i++) { model.Predict(one); model.Predict(many); } // warm-up
        var single = new List<double>();
        var batched = new List<double>();
        int rounds = options.Quick ? 3 : 7, calls = options.Quick ? 50 : 200;
        for (int round = 0; round < rounds; round++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < calls; i++) model.Predict(one);
            single.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds / calls);
            start = Stopwatch.GetTimestamp();
            for (int i = 0; i < calls / 8; i++) model.Predict(many);
            batched.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds / (calls / 8 * 64));
        }
        model.Dispose();
        return (single.Order().ElementAt(rounds / 2), batched.Order().ElementAt(rounds / 2));
    }

    /// <summary>The same digit with its tensor as raw little-endian FP32 after the JSON header (OIP binary-tensor extension), and the header's length.</summary>
    private static (byte[] Body, int HeaderLength) BinaryInferBody()
    {
        var random = new Random(5);
        var pixels = Enumerable.Range(0, MnistDigits.PixelsPerImage).Select(_ => MathF.Round(random.NextSingle(), 3)).ToArray();
        byte[] data = System.Runtime.InteropServices.MemoryMarshal.AsBytes(pixels.AsSpan()).ToArray();
        byte[] header = JsonSerializer.SerializeToUtf8Bytes(new
        {
            inputs = new[] { new { name = "image", shape = new[] { 1, 1, 28, 28 }, datatype = "FP32", parameters = new { binary_data_size = data.Length } } },
        });
        return ([.. header, .. data], header.Length);
    }

    private static Uri Infer(InferenceServer server) => new(server.Address, $"v2/models/{server.ModelName}/infer");

    /// <param name="PerSecond">Requests answered a second.</param>
    /// <param name="P50Ms">Median latency.</param>
    /// <param name="P99Ms">99th percentile latency.</param>
    /// <param name="CpuMicroseconds">The bench process's CPU time a request: clients and server together.</param>
    /// <param name="RowsPerCall">Mean rows a model call over the case (the server's <c>arc_serving_batch_rows</c>); NaN without a server to ask.</param>
    private readonly record struct LoadResult(double PerSecond, double P50Ms, double P99Ms, double CpuMicroseconds, double RowsPerCall);

    private static LoadResult Median(List<LoadResult> rounds)
    {
        double Middle(Func<LoadResult, double> figure) => rounds.Select(figure).Order().ElementAt(rounds.Count / 2);
        return new(Middle(r => r.PerSecond), Middle(r => r.P50Ms), Middle(r => r.P99Ms), Middle(r => r.CpuMicroseconds), Middle(r => r.RowsPerCall));
    }

    /// <summary>
    /// <paramref name="concurrency"/> clients, each on its own keep-alive connection (<see cref="RawHttpConnection"/>),
    /// each sending one request after another for <paramref name="duration"/>; with <paramref name="server"/>, the mean
    /// rows of its model calls meanwhile, from its <c>/metrics</c>.
    /// </summary>
    private static async Task<LoadResult> LoadAsync(InferenceServer? server, Uri url, byte[] body, int? headerLength, int concurrency, TimeSpan duration)
    {
        var batchesBefore = server is null ? default : await BatchRowsAsync(server);
        var (contentType, headers) = headerLength is int length
            ? ("application/octet-stream", new[] { ("Inference-Header-Content-Length", length.ToString(CultureInfo.InvariantCulture)) })
            : ("application/json", Array.Empty<(string, string)>());
        var connections = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => RawHttpConnection.OpenAsync(url, body, contentType, headers)));
        try
        {
            var latencies = new List<double>[concurrency];
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
            {
                var mine = latencies[w] = [];
                while (clock.Elapsed < duration)
                {
                    long start = Stopwatch.GetTimestamp();
                    await connections[w].PostAsync();
                    mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
            })).ToArray();
            await Task.WhenAll(workers);
            double seconds = clock.Elapsed.TotalSeconds;
            cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            var all = latencies.SelectMany(l => l).Order().ToArray();
            var batchesAfter = server is null ? default : await BatchRowsAsync(server);
            double rowsPerCall = server is null ? double.NaN : (batchesAfter.Rows - batchesBefore.Rows) / (batchesAfter.Calls - batchesBefore.Calls);
            return new LoadResult(all.Length / seconds, Percentile(all, 0.50), Percentile(all, 0.99), cpu.TotalMicroseconds / all.Length, rowsPerCall);
        }
        finally
        {
            foreach (var connection in connections) connection.Dispose();
        }
    }

    /// <summary>The rows and the calls of the model so far: the sum and count of <c>arc_serving_batch_rows</c> at <c>/metrics</c>.</summary>
    private static async Task<(double Rows, double Calls)> BatchRowsAsync(InferenceServer server)
    {
        using var http = new HttpClient();
        string text = await http.GetStringAsync(new Uri(server.Address, "metrics"));
        double Value(string name) => double.Parse(
            text.Split('\n').Single(line => line.StartsWith(name + " ", StringComparison.Ordinal))[(name.Length + 1)..], CultureInfo.InvariantCulture);
        return (Value("arc_serving_batch_rows_sum"), Value("arc_serving_batch_rows_count"));
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];


    /// <summary>
    /// The floor of (a): the least an HTTP endpoint must do to answer the same request with the same model: Kestrel
    /// (HTTP/1.1), read the body, parse the tensor's data, one model call at a time, write the class.
    /// </summary>
    private sealed class Floor : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private Floor(WebApplication app, Uri address)
        {
            _app = app;
            Address = address;
        }

        public Uri Address { get; }

        public static async Task<Floor> StartAsync(MlpClassifier model)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            ListenOptions? listener = null;
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => { listener = l; l.Protocols = HttpProtocols.Http1; }));
            var app = builder.Build();
            var gate = new Lock();
            app.MapPost("/infer", async context =>
            {
                using var buffer = new MemoryStream();
                await context.Request.Body.CopyToAsync(buffer);
                using var json = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
                var data = json.RootElement.GetProperty("inputs")[0].GetProperty("data");
                var pixels = new float[data.GetArrayLength()];
                int i = 0;
                foreach (var v in data.EnumerateArray()) pixels[i++] = v.GetSingle();
                ClassData y;
                lock (gate) y = model.Predict(new ImageData(ArcArray.From(pixels, 1, 1, 28, 28)));
                byte[] answer = Encoding.UTF8.GetBytes("{\"class\":" + y.IndexSpan[0].ToString(CultureInfo.InvariantCulture) + "}");
                context.Response.ContentType = "application/json";
                context.Response.ContentLength = answer.Length;
                await context.Response.Body.WriteAsync(answer);
            });
            await app.StartAsync();
            return new Floor(app, new Uri($"http://127.0.0.1:{listener!.IPEndPoint!.Port}/"));
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
