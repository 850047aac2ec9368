using Arc.Artifacts;
using Arc.Sdk;

namespace Arc.Interactive.Tests;

/// <summary>
/// Arc in a real C# kernel (issue 17 item 3): cells that declare [Model], [Job] or [Pod] get the generated code, their
/// models run in process and in a worker process, a cell run again replaces its types, and ARC diagnostics point at the
/// cell's own lines.
/// </summary>
public sealed class NotebookCellsTests
{
    internal const string HousesCell = """
        using Arc.Sdk;
        using Arc.Torch;
        using Arc.Types;
        using TorchSharp;
        using static TorchSharp.torch;

        [Model]
        public partial class PriceClassifier : TorchClassifier<TableData>
        {
            public static readonly string[] Classes = ["cheap", "expensive"];
            public static int Version => 1;

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

    [Fact]
    public async Task A_model_cell_gets_the_generated_code_and_trains_in_process_and_in_a_worker_process()
    {
        using var notebook = await NotebookKernel.StartAsync();
        (await notebook.RunAsync(HousesCell)).AssertSucceeded();

        var run = await notebook.RunAsync("""
            var here = await PriceClassifier.DeployAsync(Target.InProcess, learningRate: 0.1);
            var there = await PriceClassifier.DeployAsync(Target.LocalProcess, learningRate: 0.1);
            for (int step = 0; step < 200; step++)
            {
                await here.FitAsync(Houses.Table, Houses.Prices);
                await there.FitAsync(Houses.Table, Houses.Prices);
            }
            var a = await here.PredictAsync(Houses.Table);
            var b = await there.PredictAsync(Houses.Table);
            var answer = $"{there.WorkerProcessId is int pid && pid != System.Environment.ProcessId} {string.Join(" ", a.IndexSpan.ToArray())} | {string.Join(" ", b.IndexSpan.ToArray())}";
            await here.DisposeAsync();
            await there.DisposeAsync();
            answer
            """);

        run.AssertSucceeded();
        Assert.Equal("True 0 0 0 1 1 1 | 0 0 0 1 1 1", run.Returned());
    }

    [Fact]
    public async Task The_cell_assemblies_are_in_an_owned_temporary_folder_removed_with_the_kernel()
    {
        string folder;
        using (var notebook = await NotebookKernel.StartAsync())
        {
            (await notebook.RunAsync(HousesCell)).AssertSucceeded();
            folder = ArcNotebook.CellFolder(notebook.Kernel) ?? throw new InvalidOperationException("Arc is not enabled in the kernel");
            // Named after this process (and its start time), so a sweep removes it once this process is gone.
            Assert.True(ArcTempPaths.IsOwnedBy(folder, ArcTempPaths.Notebook, Environment.ProcessId), folder);
            Assert.NotEmpty(Directory.GetFiles(folder, "ArcCell*.dll"));
        }
        Assert.False(Directory.Exists(folder), $"{folder} outlived its kernel");
    }

    [Fact]
    public async Task A_cell_run_again_replaces_its_types_and_registrations()
    {
        using var notebook = await NotebookKernel.StartAsync();
        (await notebook.RunAsync(HousesCell)).AssertSucceeded();
        var first = ArcRegistry.GetModel("priceclassifier").Type.Assembly;
        Assert.Equal("1", (await notebook.RunAsync("PriceClassifier.Version.ToString()")).Returned());

        (await notebook.RunAsync(HousesCell.Replace("Version => 1", "Version => 2"))).AssertSucceeded();

        Assert.Equal("2", (await notebook.RunAsync("PriceClassifier.Version.ToString()")).Returned());
        var second = ArcRegistry.GetModel("priceclassifier").Type.Assembly;
        Assert.NotSame(first, second);
        Assert.Equal(second.GetName().Name, (await notebook.RunAsync("typeof(PriceClassifier).Assembly.GetName().Name")).Returned());
    }

    [Fact]
    public async Task A_class_that_is_not_partial_gets_ARC0001_at_the_cells_line()
    {
        using var notebook = await NotebookKernel.StartAsync();

        var cell = await notebook.RunAsync("""
            using Arc.Sdk;
            using Arc.Torch;
            using Arc.Types;

            [Model]
            public class NotPartial : TorchClassifier<TableData>
            {
                public NotPartial() : base(["a", "b"]) { }
                protected override TorchSharp.torch.Tensor ToInput(TableData x) => x.ToTensor(Device);
            }
            """);

        Assert.NotNull(cell.Failure);
        var arc = Assert.Single(cell.Diagnostics, d => d.Code == "ARC0001");
        Assert.Equal(5, arc.LinePositionSpan.Start.Line); // 0-based: the line of 'public class NotPartial'
        Assert.Contains("(6,", cell.Failure!.Message);
        Assert.Contains("error ARC0001: 'NotPartial' must be declared partial", cell.Failure.Message);
    }

    [Fact]
    public async Task A_pod_with_an_argument_Arc_cannot_serialize_gets_an_ARC_diagnostic_at_the_cells_line()
    {
        using var notebook = await NotebookKernel.StartAsync();

        var cell = await notebook.RunAsync("""
            using Arc.Sdk;

            public static partial class Tools
            {
                [Pod] public static long Length(System.IO.Stream stream) => stream.Length;
            }
            """);

        Assert.NotNull(cell.Failure);
        var arc = Assert.Single(cell.Diagnostics, d => d.Code.StartsWith("ARC", StringComparison.Ordinal) && d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        Assert.Equal(4, arc.LinePositionSpan.Start.Line);
        Assert.Contains("System.IO.Stream", arc.Message);
    }

    [Fact]
    public async Task A_cell_that_mixes_declarations_and_statements_is_refused_with_the_reason()
    {
        using var notebook = await NotebookKernel.StartAsync();

        var cell = await notebook.RunAsync("""
            using Arc.Sdk;
            var x = 1;
            [Job] public partial class Nothing { }
            """);

        Assert.NotNull(cell.Failure);
        Assert.Contains("(2,1): a cell that declares [Model], [Job] or [Pod] holds only using directives and type declarations", cell.Failure!.Message);
    }
}
