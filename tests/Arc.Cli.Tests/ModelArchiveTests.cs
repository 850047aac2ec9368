using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Arc.Cli.Tests.Support;
using Xunit;

namespace Arc.Cli.Tests;

/// <summary>
/// <c>arc package</c> and <c>arc train &lt;archive|module dir&gt; &lt;model_dir&gt;</c> (seed 004, docs/model-archive.md), run as
/// the real tool on the MNIST sample's build output: the manifest and its defaults, recorded NuGet packages,
/// reproducible bytes, training into a model directory with named logs and TensorBoard files, and hostile archives refused.
/// </summary>
public sealed class ModelArchiveTests
{
    [Fact]
    public async Task PackageWritesTheSeedsManifestWithItsDefaultsAndRecordsTheNuGetPackages()
    {
        using var scratch = new Scratch();
        var result = await ArcTool.RunAsync(scratch.Root, null, "package", "-m", MnistModule.Directory, "-t", "Mnist.dll:convclassifier", "-o", scratch["m.tar.gz"]);
        Assert.True(result.ExitCode == 0, result.ToString());

        var entries = ReadArchive(scratch["m.tar.gz"]);
        using var manifest = JsonDocument.Parse(entries["manifest.json"].Data);
        var root = manifest.RootElement;
        Assert.Equal("", root.GetProperty("module").GetString());
        Assert.Equal("Mnist.dll:convclassifier", root.GetProperty("trainingScript").GetString());
        Assert.Equal("Mnist.dll:convclassifier", root.GetProperty("servingScript").GetString());
        Assert.Equal("logs", root.GetProperty("logDirectory").GetString());
        Assert.Equal("%Y-%m-%dT%H-%M-%S.log", root.GetProperty("logNamingFormat").GetString());
        Assert.False(root.GetProperty("enableTensorboard").GetBoolean());
        Assert.Equal("tb_logs", root.GetProperty("tensorboardDirectory").GetString());

        // The module's files are there; libtorch is recorded, not carried.
        Assert.Equal(File.ReadAllBytes(MnistModule.Assembly), entries["Mnist.dll"].Data);
        Assert.DoesNotContain(entries.Keys, k => k.Contains("libtorch", StringComparison.Ordinal));
        using var requirements = JsonDocument.Parse(entries["requirements.json"].Data);
        var packages = requirements.RootElement.GetProperty("packages").EnumerateArray().Select(p => p.GetProperty("id").GetString()).ToList();
        Assert.Contains("TorchSharp", packages);
        Assert.Contains("MessagePack", packages);
        var external = requirements.RootElement.GetProperty("external").EnumerateArray().ToList();
        var libtorch = Assert.Single(external, p => p.GetProperty("id").GetString() == "libtorch-cpu-linux-x64");
        Assert.Contains(libtorch.GetProperty("files").EnumerateArray(), f => f.GetProperty("outputPath").GetString()!.EndsWith("libtorch.so", StringComparison.Ordinal));

        // Sorted, epoch times, owner 0 without names.
        Assert.Equal(entries.Keys.Order(StringComparer.Ordinal), entries.Keys);
        Assert.All(entries.Values, e => Assert.Equal(DateTimeOffset.UnixEpoch, e.ModificationTime));
        Assert.All(entries.Values, e => Assert.Equal((0, 0, "", ""), (e.Uid, e.Gid, e.UserName, e.GroupName)));
    }

    [Fact]
    public async Task TheSameInputsGiveTheSameBytesAndAnExistingOutputIsNotReplaced()
    {
        using var scratch = new Scratch();
        string[] options = ["package", "-m", MnistModule.Directory, "-t", "Mnist.dll:mlpclassifier", "-s", "Mnist.dll:convclassifier",
            "-l", "run-%Y%m%d.log", "-L", "my-logs", "--enable-tensorboard", "-T", "tb"];
        var first = await ArcTool.RunAsync(scratch.Root, null, [.. options, "-o", scratch["a.tar.gz"]]);
        var second = await ArcTool.RunAsync(scratch.Root, null, [.. options, "-o", scratch["b.tar.gz"]]);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(File.ReadAllBytes(scratch["a.tar.gz"]), File.ReadAllBytes(scratch["b.tar.gz"]));

        using var manifest = JsonDocument.Parse(ReadArchive(scratch["a.tar.gz"])["manifest.json"].Data);
        Assert.Equal("run-%Y%m%d.log", manifest.RootElement.GetProperty("logNamingFormat").GetString());
        Assert.Equal("my-logs", manifest.RootElement.GetProperty("logDirectory").GetString());
        Assert.True(manifest.RootElement.GetProperty("enableTensorboard").GetBoolean());
        Assert.Equal("tb", manifest.RootElement.GetProperty("tensorboardDirectory").GetString());

        byte[] before = File.ReadAllBytes(scratch["a.tar.gz"]);
        var again = await ArcTool.RunAsync(scratch.Root, null, [.. options, "-o", scratch["a.tar.gz"]]);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("exists", again.Error);
        Assert.Equal(before, File.ReadAllBytes(scratch["a.tar.gz"]));
    }

    [Fact]
    public async Task TheBytesDependOnTheFilesNotOnTheirTimesOrTheOrderTheyWereWritten()
    {
        using var scratch = new Scratch();
        string[] names = ["Mnist.dll", "Mnist.deps.json", "Mnist.runtimeconfig.json", "Fractions.dll"];
        foreach (var (folder, order, time) in new[] { ("one", names, new DateTime(2001, 1, 1)), ("two", names.Reverse().ToArray(), new DateTime(2024, 6, 30)) })
        {
            Directory.CreateDirectory(scratch[folder + "/data"]);
            foreach (string name in order)
            {
                File.Copy(Path.Combine(MnistModule.Directory, name), scratch[$"{folder}/{name}"]);
                File.SetLastWriteTimeUtc(scratch[$"{folder}/{name}"], time);
            }
            File.WriteAllText(scratch[$"{folder}/data/notes.txt"], "same text");
            File.SetLastWriteTimeUtc(scratch[$"{folder}/data/notes.txt"], time);
            var result = await ArcTool.RunAsync(scratch.Root, null, "package", "-m", scratch[folder], "-o", scratch[folder + ".tar.gz"]);
            Assert.True(result.ExitCode == 0, result.ToString());
        }
        Assert.Equal(File.ReadAllBytes(scratch["one.tar.gz"]), File.ReadAllBytes(scratch["two.tar.gz"]));
        var entries = ReadArchive(scratch["one.tar.gz"]);
        Assert.Equal(["Fractions.dll", "Mnist.deps.json", "Mnist.dll", "Mnist.runtimeconfig.json", "data/notes.txt", "manifest.json", "requirements.json"], entries.Keys);
        // Without -t the folder's one app is both entries.
        using var manifest = JsonDocument.Parse(entries["manifest.json"].Data);
        Assert.Equal("Mnist.dll", manifest.RootElement.GetProperty("trainingScript").GetString());
    }

    [Fact]
    public async Task AManifestFileIsKeptByteForByteWithItsUnknownFields()
    {
        using var scratch = new Scratch();
        Directory.CreateDirectory(scratch["m"]);
        string text = "{ \"trainingScript\": \"Mnist.dll:convclassifier\", \"servingScript\": null, \"enableTensorboard\": true,\n  \"owner\": {\"team\": \"vision\"} }\n";
        File.WriteAllText(scratch["m/manifest.json"], text);
        var result = await ArcTool.RunAsync(scratch.Root, null, "package", "-m", MnistModule.Directory, "-M", scratch["m/manifest.json"], "-o", scratch["x.tar.gz"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(text, Encoding.UTF8.GetString(ReadArchive(scratch["x.tar.gz"])["manifest.json"].Data));

        File.WriteAllText(scratch["m/Manifest.json"], text);
        var misnamed = await ArcTool.RunAsync(scratch.Root, null, "package", "-m", MnistModule.Directory, "-M", scratch["m/Manifest.json"], "-o", scratch["y.tar.gz"]);
        Assert.Equal(2, misnamed.ExitCode);
        Assert.Contains("manifest.json", misnamed.Error);
        Assert.False(File.Exists(scratch["y.tar.gz"]));

        File.WriteAllText(scratch["m/manifest.json"], "{\"enableTensorboard\": \"yes\"}");
        var wrongType = await ArcTool.RunAsync(scratch.Root, null, "package", "-m", MnistModule.Directory, "-M", scratch["m/manifest.json"], "-o", scratch["z.tar.gz"]);
        Assert.Equal(1, wrongType.ExitCode);
        Assert.Contains("enableTensorboard", wrongType.Error);
        Assert.False(File.Exists(scratch["z.tar.gz"]));
    }

    [Fact]
    public async Task TrainRunsTheArchiveIntoAModelDirectoryWithNamedLogsAndTensorBoardFiles()
    {
        using var scratch = new Scratch();
        var package = await ArcTool.RunAsync(scratch.Root, null, "package", "-m", MnistModule.Directory, "-t", "Mnist.dll:convclassifier",
            "--job", "classifydigits", "-l", "train-%Y.log", "-L", "logs", "--enable-tensorboard", "-T", "tb", "-o", scratch["m.tar.gz"]);
        Assert.True(package.ExitCode == 0, package.ToString());

        Directory.CreateDirectory(scratch["work"]);
        var result = await ArcTool.RunAsync(scratch.Root, MnistModule.Environment(scratch),
            ["train", "--work-dir", scratch["work"], scratch["m.tar.gz"], scratch["model"], .. MnistModule.QuickTraining]);
        Assert.True(result.ExitCode == 0, result.ToString());

        using var info = JsonDocument.Parse(File.ReadAllBytes(scratch["model/model.json"]));
        Assert.Equal("convclassifier", info.RootElement.GetProperty("model").GetString());
        Assert.Equal("classifydigits", info.RootElement.GetProperty("job").GetString());
        Assert.Equal(4, info.RootElement.GetProperty("hyperparameters").GetProperty("channels").GetInt32());
        Assert.Equal(20, info.RootElement.GetProperty("jobParameters").GetProperty("maxPerDigit").GetInt32());
        Assert.Equal(1, info.RootElement.GetProperty("epochs").GetInt32());
        Assert.True(info.RootElement.GetProperty("samples").GetInt64() > 0);
        Assert.True(new FileInfo(scratch["model/weights.bin"]).Length > 1000);

        string log = Path.Combine(scratch["work/logs"], $"train-{DateTime.Now.Year}.log");
        Assert.True(File.Exists(log), $"no {log}; logs: {string.Join(", ", Directory.GetFiles(scratch["work"], "*", SearchOption.AllDirectories))}");
        Assert.Contains("epoch 1/1", File.ReadAllText(log));
        var events = Assert.Single(Directory.GetFiles(scratch["work/tb"], "events.out.tfevents*"));
        string eventText = Encoding.UTF8.GetString(File.ReadAllBytes(events));
        Assert.Contains("train/loss", eventText);
        Assert.Contains("train/epoch_loss", eventText);
    }

    [Fact]
    public async Task AnArchiveMadeByHandWithTarTrainsToo()
    {
        // The seed lets people make archives with tar: `tar czf x.tar.gz -C folder .` names every entry "./…".
        using var scratch = new Scratch();
        var package = await ArcTool.RunAsync(scratch.Root, null, "package", "-m", MnistModule.Directory, "-t", "Mnist.dll:convclassifier", "--job", "classifydigits", "-o", scratch["m.tar.gz"]);
        Assert.True(package.ExitCode == 0, package.ToString());
        Directory.CreateDirectory(scratch["unpacked"]);
        await RunTarAsync("xzf", scratch["m.tar.gz"], "-C", scratch["unpacked"]);
        await RunTarAsync("czf", scratch["by-hand.tar.gz"], "-C", scratch["unpacked"], ".");
        Assert.Contains("./manifest.json", ReadArchive(scratch["by-hand.tar.gz"]).Keys);

        var result = await ArcTool.RunAsync(scratch.Root, MnistModule.Environment(scratch),
            ["train", "--work-dir", scratch.Root, scratch["by-hand.tar.gz"], scratch["model"], .. MnistModule.QuickTraining]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(File.Exists(scratch["model/model.json"]));
    }

    private static async Task RunTarAsync(params string[] args)
    {
        using var tar = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("tar", args) { RedirectStandardError = true })!;
        string error = await tar.StandardError.ReadToEndAsync();
        await tar.WaitForExitAsync();
        Assert.True(tar.ExitCode == 0, $"tar {string.Join(' ', args)}: {error}");
    }

    [Fact]
    public async Task CtrlCStopsTrainingAfterTheCurrentStepWithExitCode130AndNoModel()
    {
        using var scratch = new Scratch();
        var package = await ArcTool.RunAsync(scratch.Root, null, "package", "-m", MnistModule.Directory, "-t", "Mnist.dll:convclassifier", "--job", "classifydigits", "-o", scratch["m.tar.gz"]);
        Assert.True(package.ExitCode == 0, package.ToString());

        using var process = System.Diagnostics.Process.Start(ArcTool.StartInfo(scratch.Root,
            ["train", "--work-dir", scratch.Root, scratch["m.tar.gz"], scratch["model"], "--max-per-digit", "100", "--channels", "4", "--epochs", "1000", "--batch-size", "8"],
            MnistModule.Environment(scratch)))!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = new System.Text.StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            // Training has started once the module logged its first line.
            while (await process.StandardError.ReadLineAsync(timeout.Token) is { } line)
            {
                error.AppendLine(line);
                if (line.StartsWith("training model", StringComparison.Ordinal)) break;
            }
            Assert.True(Kill(process.Id, 2) == 0, "kill -INT failed");
            error.Append(await process.StandardError.ReadToEndAsync(timeout.Token));
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        await output;
        Assert.True(process.ExitCode == 130, $"exit {process.ExitCode}\n{error}");
        Assert.Contains("stopped by Ctrl+C", error.ToString());
        Assert.False(File.Exists(scratch["model/model.json"]));
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [Fact]
    public async Task BadTrainingArgumentsNameTheOptionAndWriteNoModel()
    {
        using var scratch = new Scratch();
        var package = await ArcTool.RunAsync(scratch.Root, null, "package", "-m", MnistModule.Directory, "-t", "Mnist.dll:convclassifier", "-o", scratch["m.tar.gz"]);
        Assert.True(package.ExitCode == 0, package.ToString());

        var unknown = await ArcTool.RunAsync(scratch.Root, MnistModule.Environment(scratch), "train", "--work-dir", scratch.Root, scratch["m.tar.gz"], scratch["model"], "--job", "classifydigits", "--chanels", "4");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("--chanels", unknown.Error);
        Assert.Contains("--channels", unknown.Error);

        var wrongType = await ArcTool.RunAsync(scratch.Root, MnistModule.Environment(scratch), "train", "--work-dir", scratch.Root, scratch["m.tar.gz"], scratch["model"], "--job", "classifydigits", "--channels", "four");
        Assert.Equal(2, wrongType.ExitCode);
        Assert.Contains("--channels 'four' is not an integer", wrongType.Error);

        var noJob = await ArcTool.RunAsync(scratch.Root, MnistModule.Environment(scratch), "train", "--work-dir", scratch.Root, scratch["m.tar.gz"], scratch["model"], "--job", "nosuchjob");
        Assert.Equal(2, noJob.ExitCode);
        Assert.Contains("classifydigits", noJob.Error);
        Assert.False(Directory.Exists(scratch["model"]));
    }

    [Fact]
    public async Task AModuleDirWithTwoModelsAndNoEntryTypeSaysWhichToName()
    {
        using var scratch = new Scratch();
        var result = await ArcTool.RunAsync(scratch.Root, null, "train", "--work-dir", scratch.Root, MnistModule.Directory, scratch["model"]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Arc.Samples.Mnist.ConvClassifier", result.Error);
        Assert.Contains("Arc.Samples.Mnist.MlpClassifier", result.Error);
        Assert.False(Directory.Exists(scratch["model"]));
    }

    public static TheoryData<string> HostileCases => new() { "parent", "absolute", "symlink-out", "symlink-in", "hardlink", "through-symlink" };

    [Theory]
    [MemberData(nameof(HostileCases))]
    public async Task AHostileArchiveIsRefusedAndWritesNothingOutsideItsFolder(string hostile)
    {
        using var scratch = new Scratch();
        string archive = scratch["hostile.tar.gz"];
        string outside = scratch["outside.txt"];
        WriteHostile(archive, hostile, outside);

        var result = await ArcTool.RunAsync(scratch.Root, MnistModule.Environment(scratch), "train", "--work-dir", scratch["work"], archive, scratch["model"]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("refused", result.Error);
        Assert.False(File.Exists(outside), "a file was written outside the archive's folder");
        Assert.False(Directory.Exists(scratch["model"]));
        // Nothing of it is left in the cache either: the half-extracted folder is removed.
        string modules = Path.Combine(scratch["cache"], "modules");
        Assert.Empty(Directory.Exists(modules) ? Directory.GetFileSystemEntries(modules) : []);
    }

    private static void WriteHostile(string path, string hostile, string outside)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        using var tar = new TarWriter(gzip, TarEntryFormat.Pax);
        void Regular(string name, string text) => tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)) });
        Regular("manifest.json", "{\"trainingScript\": \"Mnist.dll\"}");
        switch (hostile)
        {
            case "parent":
                // From <cache>/modules/<temporary>/ three levels up is the scratch root.
                Regular("../../../outside.txt", "escaped");
                break;
            case "absolute":
                Regular(outside, "escaped");
                break;
            case "symlink-out":
                tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "link") { LinkName = "../../../" });
                break;
            case "symlink-in":
                Regular("sub/file.txt", "inside");
                tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "alias") { LinkName = "sub" });
                break;
            case "hardlink":
                tar.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "hard") { LinkName = outside });
                break;
            case "through-symlink":
                tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "up") { LinkName = Path.GetDirectoryName(outside)! });
                Regular("up/outside.txt", "escaped");
                break;
        }
    }

    private sealed record Entry(byte[] Data, DateTimeOffset ModificationTime, int Uid, int Gid, string UserName, string GroupName);

    /// <summary>The archive's entries in their order, read with .NET's own tar reader (not the code under test).</summary>
    private static Dictionary<string, Entry> ReadArchive(string path)
    {
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new TarReader(gzip);
        while (reader.GetNextEntry(copyData: true) is { } entry)
        {
            var data = new MemoryStream();
            entry.DataStream?.CopyTo(data);
            var posix = (PosixTarEntry)entry;
            entries.Add(entry.Name, new Entry(data.ToArray(), entry.ModificationTime, entry.Uid, entry.Gid, posix.UserName, posix.GroupName));
        }
        return entries;
    }
}
