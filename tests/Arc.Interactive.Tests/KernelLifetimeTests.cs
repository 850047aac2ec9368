using System.Diagnostics;
using System.Text.Json;
using Arc.Artifacts;

namespace Arc.Interactive.Tests;

/// <summary>
/// A worker started from a notebook dies with the notebook's kernel (issue 17 item 5): a kernel (dotnet-repl, a real
/// process) deploys a cell's model on Target.LocalProcess and waits; the kernel process is killed (not its children);
/// the worker must exit by itself, because its stdin pipe from the kernel closed, and the kernel's cell folder is swept as
/// a dead owner's.
/// </summary>
public sealed class KernelLifetimeTests
{
    [Fact]
    public async Task A_worker_started_from_a_notebook_exits_when_the_kernel_is_killed()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = new DirectoryInfo(ArcTempPaths.CreateDirectory(ArcTempPaths.Scratch));
        string pidFile = Path.Combine(folder.FullName, "worker.pid");
        string notebook = Path.Combine(folder.FullName, "lifetime.ipynb");
        File.WriteAllText(notebook, Notebook(
            $"#r \"{typeof(ArcNotebook).Assembly.Location}\"\nArc.Interactive.ArcNotebook.Enable()",
            """
            using Arc.Sdk;
            using Arc.Torch;
            using Arc.Types;
            using TorchSharp;

            [Model]
            public partial class Waiting : TorchClassifier<TableData>
            {
                public Waiting() : base(["a", "b"], ArcDevice.Cpu) => Initialize(torch.nn.Linear(1, 2), p => torch.optim.SGD(p, 0.1));
                protected override torch.Tensor ToInput(TableData x) => x.ToTensor(Device, ["v"]);
            }
            """,
            $"var model = await Waiting.DeployAsync(Target.LocalProcess);\nSystem.IO.File.WriteAllText(@\"{pidFile}\", model.WorkerProcessId.ToString());\nawait System.Threading.Tasks.Task.Delay(-1);"));

        var start = new ProcessStartInfo(Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet")
        {
            WorkingDirectory = RepositoryRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "tool", "run", "dotnet-repl", "--", "--run", notebook, "--exit-after-run" }) start.ArgumentList.Add(argument);
        using var repl = Process.Start(start)!;
        _ = repl.StandardOutput.ReadToEndAsync(ct);
        _ = repl.StandardError.ReadToEndAsync(ct);
        Process? worker = null;
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
            while (!File.Exists(pidFile) || File.ReadAllText(pidFile).Length == 0)
            {
                Assert.False(repl.HasExited, "the kernel ended before the worker started");
                Assert.True(DateTime.UtcNow < deadline, "the worker did not start within 5 minutes");
                await Task.Delay(250, ct);
            }
            worker = Process.GetProcessById(int.Parse(File.ReadAllText(pidFile)));
            int kernel = ParentOf(worker.Id); // the process whose pipe the worker reads: the kernel itself
            var cellFolders = Directory.GetDirectories(ArcTempPaths.Root, $"arc-{ArcTempPaths.Notebook}-*")
                .Where(d => ArcTempPaths.IsOwnedBy(d, ArcTempPaths.Notebook, kernel)).ToList();
            Assert.Single(cellFolders); // the kernel compiled the model cell there
            Process.GetProcessById(kernel).Kill(entireProcessTree: false);

            using var exited = CancellationTokenSource.CreateLinkedTokenSource(ct);
            exited.CancelAfter(TimeSpan.FromSeconds(15));
            await worker.WaitForExitAsync(exited.Token);

            // A killed kernel cannot remove its cell folder; its dead owner's name marks it for the sweep.
            Assert.Contains(cellFolders[0], ArcTempPaths.FindDead());
            ArcTempPaths.SweepDead();
            Assert.False(Directory.Exists(cellFolders[0]), $"{cellFolders[0]} was not swept");
        }
        finally
        {
            if (worker is { HasExited: false }) worker.Kill(entireProcessTree: true);
            if (!repl.HasExited) repl.Kill(entireProcessTree: true);
            folder.Delete(recursive: true);
        }
    }

    // The parent process id, from /proc/<pid>/stat (the field after the state, past the command's closing parenthesis).
    private static int ParentOf(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
    }

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

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "Arc.Sdk.sln"))) return folder.FullName;
        throw new InvalidOperationException($"no Arc.Sdk.sln above {AppContext.BaseDirectory}");
    }
}
