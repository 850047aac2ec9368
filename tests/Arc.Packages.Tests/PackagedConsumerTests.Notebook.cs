using System.IO.Compression;
using System.Text.Json;
using Arc.Packages.Tests.Support;
using Arc.Sdk.Tests.Support;

namespace Arc.Packages.Tests;

// Arc in a notebook through its packages alone (issue 17 item 3, docs/notebooks.md): a notebook whose first cell is
// `#r "nuget: Arc.Interactive"` (the feed of this build as its source) gets Arc enabled by the package's extension
// script, a cell declaring a `[Model]` and a `[Job]` is compiled with the generator of the Arc.Sdk package, and
// the model trains in the kernel and in a worker process started from the packages' files. Part of
// PackagedConsumerTests' class so that it shares its feed (packing is the expensive part).
public sealed partial class PackagedConsumerTests
{
    private const string ModelCell = """
        using Arc.Sdk;
        using Arc.Torch;
        using Arc.Types;
        using TorchSharp;
        using static TorchSharp.torch;

        [Model]
        public partial class PriceClassifier : TorchClassifier<TableData>
        {
            public static readonly string[] Classes = ["cheap", "expensive"];

            public PriceClassifier(double learningRate = 0.05) : base(Classes, ArcDevice.Cpu)
            {
                torch.manual_seed(1);
                Initialize(nn.Linear(2, 2), parameters => optim.SGD(parameters, learningRate));
            }

            protected override Tensor ToInput(TableData x) => x.ToTensor(Device, ["area", "rooms"]) / torch.tensor(new float[] { 200, 6 });
        }

        [Job]
        public partial class Houses : SupervisedJob<TableData, ClassData>
        {
            public static TableData Table => new([
                TableColumn.FromValues("area", new double[] { 45, 60, 75, 120, 150, 200 }),
                TableColumn.FromValues("rooms", new long[] { 1, 2, 2, 4, 5, 6 })]);
            public static ClassData Prices => new([0L, 0L, 0L, 1L, 1L, 1L], PriceClassifier.Classes);

            protected override ValueTask<Batch<TableData, ClassData>> LoadSplitAsync(DataSplit split, CancellationToken cancellationToken)
                => ValueTask.FromResult(new Batch<TableData, ClassData>(Table, Prices));
        }
        """;

    private const string TrainCell = """
        var here = await PriceClassifier.DeployAsync(Target.InProcess, learningRate: 0.1);
        var there = await PriceClassifier.DeployAsync(Target.LocalProcess, learningRate: 0.1);
        for (int step = 0; step < 200; step++)
        {
            await here.FitAsync(Houses.Table, Houses.Prices);
            await there.FitAsync(Houses.Table, Houses.Prices);
        }
        var a = await here.PredictAsync(Houses.Table);
        var b = await there.PredictAsync(Houses.Table);
        // The worker's TorchSharp.dll is the copy PackagedArc marked; the kernel's own is the package's, unmarked.
        static bool Marked(System.Reflection.Assembly torchSharp)
        {
            var tensor = torchSharp.GetType("TorchSharp.torch+Tensor")!;
            var add = tensor.GetMethod("add_", new[] { tensor, torchSharp.GetType("TorchSharp.Scalar")! })!;
            return add.MethodImplementationFlags.HasFlag(System.Reflection.MethodImplAttributes.NoOptimization);
        }
        string workerProgram = System.IO.File.ReadAllText($"/proc/{there.WorkerProcessId}/cmdline").Split('\0').First(arg => arg.EndsWith("Arc.Worker.dll"));
        var workerTorchSharp = new System.Runtime.Loader.AssemblyLoadContext("worker TorchSharp", isCollectible: true)
            .LoadFromAssemblyPath(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(workerProgram)!, "TorchSharp.dll"));
        var answer = $"worker elsewhere={there.WorkerProcessId is int pid && pid != System.Environment.ProcessId} {string.Join(" ", a.IndexSpan.ToArray())} | {string.Join(" ", b.IndexSpan.ToArray())}"
            + $"; worker's TorchSharp marked={Marked(workerTorchSharp)}, kernel's marked={Marked(typeof(TorchSharp.Scalar).Assembly)}";
        await here.DisposeAsync();
        await there.DisposeAsync();
        answer
        """;

    [Fact]
    public void Arc_Interactive_carries_its_extension_script_and_depends_on_Arc_Sdk_only()
    {
        using var package = ZipFile.OpenRead(consumer.Package("Arc.Interactive"));
        var entries = package.Entries.Select(e => e.FullName).ToHashSet();
        Assert.Contains("lib/net10.0/Arc.Interactive.dll", entries);
        Assert.Contains("interactive-extensions/dotnet/extension.dib", entries);

        var dependencies = Nuspec(package).Descendants().Where(e => e.Name.LocalName == "dependency")
            .ToDictionary(e => (string)e.Attribute("id")!, e => (string)e.Attribute("version")!);
        // The kernel brings .NET Interactive itself; the worker program and the generator come with Arc.Sdk.
        Assert.Equal(new Dictionary<string, string> { ["Arc.Sdk"] = consumer.Version }, dependencies);
    }

    [Fact]
    public async Task A_notebook_loads_Arc_Interactive_from_the_feed_and_trains_a_cell_model_in_the_kernel_and_in_a_worker()
    {
        string folder = consumer.Scratch("notebook");
        string notebook = Path.Combine(folder, "packaged.ipynb");
        string executed = Path.Combine(folder, "packaged.executed.ipynb");
        File.WriteAllText(notebook, Notebook(
            $"#i \"nuget: {consumer.Feed}\"\n#r \"nuget: Arc.Interactive, {consumer.Version}\"",
            ModelCell,
            TrainCell));

        // The repository's local tool (.config/dotnet-tools.json), as samples/notebooks/mnist.ipynb is run.
        var restore = await Command.RunAsync(RepositoryFiles.Root, consumer.RunEnvironment, RunGuard, Command.Dotnet(), "tool", "restore");
        Assert.True(restore.Exit == 0, restore.Output);
        var run = await Command.RunAsync(RepositoryFiles.Root, consumer.RunEnvironment, RunGuard, Command.Dotnet(),
            "tool", "run", "dotnet-repl", "--", "--run", notebook, "--exit-after-run", "--output-path", executed);
        Assert.True(run.Exit == 0, run.Output);

        using var document = JsonDocument.Parse(File.ReadAllText(executed));
        var outputs = document.RootElement.GetProperty("cells").EnumerateArray()
            .Select(cell => cell.GetProperty("outputs").EnumerateArray().ToList()).ToList();
        var errors = outputs.SelectMany(o => o).Where(o => o.GetProperty("output_type").GetString() == "error").Select(o => o.ToString()).ToList();
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));

        // The package's extension script enabled Arc while the package loaded; no cell called Enable.
        Assert.Contains(outputs[0].SelectMany(Texts), t => t.Contains("Arc is enabled in kernel 'csharp'", StringComparison.Ordinal));
        // Same weights, same data: the kernel and the worker process (another process) predict alike, and rightly.
        Assert.Contains("worker elsewhere=True 0 0 0 1 1 1 | 0 0 0 1 1 1; worker's TorchSharp marked=True, kernel's marked=False", string.Join("\n", outputs[2].SelectMany(Texts)));
    }

    // Every text an output holds: stream text, and each text MIME type's data.
    private static IEnumerable<string> Texts(JsonElement output)
    {
        if (output.TryGetProperty("text", out var text)) yield return Join(text);
        if (output.TryGetProperty("data", out var data))
            foreach (var item in data.EnumerateObject())
                if (item.Name.StartsWith("text/", StringComparison.Ordinal)) yield return Join(item.Value);
    }

    private static string Join(JsonElement value) => value.ValueKind == JsonValueKind.Array
        ? string.Concat(value.EnumerateArray().Select(v => v.GetString()))
        : value.GetString() ?? "";

    private static string Notebook(params string[] cells) => JsonSerializer.Serialize(new
    {
        cells = cells.Select(code => new Dictionary<string, object?>
        {
            ["cell_type"] = "code",
            ["execution_count"] = null,
            ["metadata"] = new Dictionary<string, object> { ["polyglot_notebook"] = new Dictionary<string, string> { ["kernelName"] = "csharp" } },
            ["outputs"] = Array.Empty<object>(),
            ["source"] = code,
        }),
        metadata = new Dictionary<string, object>
        {
            ["kernelspec"] = new Dictionary<string, string> { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
            ["polyglot_notebook"] = new { kernelInfo = new { defaultKernelName = "csharp", items = new[] { new { aliases = Array.Empty<string>(), name = "csharp" } } } },
        },
        nbformat = 4,
        nbformat_minor = 5,
    });
}
