using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Arc.Sdk.Tests.Remote;
using Arc.Testing;
using Arc.Remote;
using Arc.Sdk;
using Arc.Types;
using Arc.Sdk.Tests.Support;

namespace Arc.Sdk.Tests.Develop;

/// <summary>
/// The attack of issue #10, literally: root starts a develop-mode worker the documented way
/// (<see cref="DevelopModel{X, Y}.StartAsync"/>); then the local user <c>nobody</c> (through <c>runuser</c>, with
/// Debian's python3 and grpcio) hunts for the worker's token in everything it may read (/proc of the worker and its
/// owner, files under /tmp, /var/tmp, /dev/shm, the worker's folders), uploads an assembly whose module initializer
/// writes a marker file (<c>arc.Develop/PutBlob</c>), asks for a <c>Reload</c> of it, and calls Predict, Fit,
/// SaveWeights, LoadWeights, SaveOptimizerState and LoadOptimizerState. Every call must be refused <c>Unauthenticated</c>, no token found, no marker written,
/// and the worker must serve its owner as before.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")] // users, runuser and /proc
public sealed class SecondUserAttackTests : IDisposable
{
    private const string Python = "/usr/bin/python3";
    private const string Attacker = "nobody";
    private const int AttackerUid = 65534;
    private const string AttackAssembly = "Attack.dll";
    private static readonly TimeSpan AttackLimit = TimeSpan.FromMinutes(3);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly string _folder = TestScratch.Create().FullName;
    private readonly DevelopSampleBuild _build;

    public SecondUserAttackTests()
    {
        // Scratch folders are 0700; the attacker ('nobody') must be able to pass through to its own world-readable folder.
        File.SetUnixFileMode(_folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
            UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        _build = new DevelopSampleBuild(Path.Combine(_folder, "build"));
        _build.BuildModel(answer: 1);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Here([CallerFilePath] string here = "") => Path.GetDirectoryName(here)!;

    /// <summary>The attacker's folder: world-readable (0755), holding its script, its config and the assembly it uploads.</summary>
    private string AttackerFolder
    {
        get
        {
            string folder = Path.Combine(_folder, "attacker");
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                                              UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            return folder;
        }
    }

    /// <summary>Root's folder (0700), where only the worker (root) can write the marker.</summary>
    private string MarkerPath
    {
        get
        {
            string folder = Path.Combine(_folder, "root-only");
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            return Path.Combine(folder, "module-initializer-ran");
        }
    }

    [Fact]
    public async Task Nobody_cannot_find_the_token_nor_make_the_worker_run_its_assembly_nor_call_the_model()
    {
        string runuser = RequireRunuserAsRoot();
        await RequireAttackerPythonAsync(runuser);
        string attacker = AttackerFolder;
        string marker = MarkerPath;
        string assembly = Path.Combine(attacker, AttackAssembly);
        BuildAttackAssembly(assembly, marker);
        string script = Path.Combine(attacker, "arc_second_user.py");
        File.Copy(Path.Combine(Here(), "..", "Remote", "Python", "arc_second_user.py"), script);

        long since = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 2; // the token is made after this: files older cannot hold it
        await using var model = await DevelopModel<ImageData, ClassData>.StartAsync(_build.AssemblyPath, DevelopSampleBuild.ModelName,
            options: new LocalProcessOptions(), cancellationToken: Ct);
        var images = RemoteTestData.Images(3, 4, 4, seed: 5).Images;
        var before = (await model.PredictAsync(images, Ct)).IndexSpan.ToArray();
        string token = model.ClientOptions.Token!;
        string workerDirectory = new DirectoryInfo($"/proc/{model.ProcessId}/cwd").LinkTarget!;

        string config = Path.Combine(attacker, "config.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            address = $"{model.Address.Host}:{model.Address.Port}",
            assembly,
            assembly_name = AttackAssembly,
            token_sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(token))),
            pids = new[] { model.ProcessId, Environment.ProcessId },
            scan = new object[]
            {
                new { path = Path.GetTempPath(), recursive = true },
                new { path = "/var/tmp", recursive = true },
                new { path = "/dev/shm", recursive = true },
                new { path = workerDirectory, recursive = false },
                new { path = AppContext.BaseDirectory, recursive = false },
            },
            since,
        }), Ct);
        foreach (var file in new[] { config, script, assembly })
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var (code, stdout, stderr) = await RunAsync(runuser, "-u", Attacker, "--", Python, script, config);

        Assert.True(code == 0, $"the attacker's script exited with {code}:\n{stdout}{stderr}");
        var report = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(AttackerUid, report.GetProperty("uid").GetInt32());

        // It looked where the token could be, and found nothing: the process entries that would hold it are closed to
        // it, the ones it could read (cmdline) do not, and no file it could read does.
        Assert.Empty(report.GetProperty("token_found_in").EnumerateArray());
        foreach (int pid in new[] { model.ProcessId, Environment.ProcessId })
        {
            var proc = report.GetProperty("proc").GetProperty(pid.ToString());
            Assert.Equal("read", proc.GetProperty("cmdline").GetString());
            Assert.Equal("PermissionError", proc.GetProperty("environ").GetString());
            Assert.Equal("PermissionError", proc.GetProperty("fd").GetString());
            Assert.Equal("PermissionError", proc.GetProperty("mem").GetString());
        }
        // The scan really read files (its own config and script at least), so an empty harvest means something.
        Assert.True(report.GetProperty("scanned").GetProperty(Path.GetTempPath()).GetProperty("read").GetInt32() >= 3, stdout);

        // Every call, without a token and with a made-up one, was refused before anything ran.
        var calls = report.GetProperty("calls");
        Assert.Equal(["none", "random"], calls.EnumerateObject().Select(attempt => attempt.Name));
        foreach (var attempt in calls.EnumerateObject())
        {
            var methods = attempt.Value.EnumerateObject().ToDictionary(m => m.Name, m => m.Value.GetString());
            Assert.Equal(["/arc.Develop/PutBlob", "/arc.Develop/Reload", "/arc.Develop/Status", "/arc.Model/Predict", "/arc.Model/Fit",
                "/arc.Model/SaveWeights", "/arc.Model/LoadWeights", "/arc.Model/SaveOptimizerState", "/arc.Model/LoadOptimizerState"], methods.Keys);
            Assert.All(methods, m => Assert.True(m.Value == "UNAUTHENTICATED", $"{attempt.Name} token: {m.Key} answered {m.Value}"));
        }

        // The assembly never ran, was never stored, and the owner's worker serves the same model as before.
        Assert.False(File.Exists(marker), $"the attacker's module initializer ran in the worker: {marker} says '{ReadMarker(marker)}'");
        using var channel = new ArcChannel(model.Address, model.ClientOptions);
        var develop = new ArcDevelopClient(channel);
        string digest = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(assembly, Ct)));
        Assert.Equal([digest], await develop.MissingAsync([digest], Ct));
        var status = await develop.StatusAsync(Ct);
        Assert.Equal((1L, DevelopStates.Serving, DevelopSampleBuild.ModelName), (status.Version, status.State, status.Model));
        Assert.Equal(before, (await model.PredictAsync(images, Ct)).IndexSpan.ToArray());
    }

    /// <summary>An assembly whose module initializer (run by the runtime as the assembly loads) writes the marker as whoever runs it.</summary>
    private static void BuildAttackAssembly(string path, string marker)
    {
        string source = $$"""
            namespace Attack;

            internal static class Payload
            {
                [System.Runtime.CompilerServices.ModuleInitializer]
                internal static void Run() => System.IO.File.WriteAllText({{JsonSerializer.Serialize(marker)}}, "ran as " + System.Environment.UserName);
            }
            """;
        DevelopSampleBuild.Emit("Attack", source, path);
    }

    private static string ReadMarker(string marker) => File.Exists(marker) ? File.ReadAllText(marker) : "";

    /// <summary>runuser's path; fails (never skips) when it is missing or this test cannot switch users.</summary>
    private static string RequireRunuserAsRoot()
    {
        string? runuser = new[] { "/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser", "/bin/runuser" }.FirstOrDefault(File.Exists);
        Assert.True(runuser is not null,
            "runuser is missing (Debian's util-linux has it, /usr/sbin/runuser): the test runs the attack as the user 'nobody' through it");
        Assert.True(Environment.IsPrivilegedProcess,
            $"this test must run as root to start the attack as '{Attacker}' through runuser (it runs as {Environment.UserName})");
        return runuser!;
    }

    private static async Task RequireAttackerPythonAsync(string runuser)
    {
        Assert.True(File.Exists(Python), $"{Python} is missing: install Debian's python3, python3-grpcio and python3-msgpack (scripts/install-prereqs.sh)");
        var (code, stdout, stderr) = await RunAsync(runuser, "-u", Attacker, "--", Python, "-c", "import grpc, msgpack");
        Assert.True(code == 0,
            $"'{Attacker}' cannot run {Python} with grpc and msgpack: install python3-grpcio and python3-msgpack (scripts/install-prereqs.sh).\n{stdout}{stderr}");
    }

    /// <summary>Runs a command with an empty environment but PATH and LANG, so nothing of this process's environment reaches the attacker.</summary>
    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = "/" };
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin";
        start.Environment["LANG"] = "C.UTF-8";
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(AttackLimit);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', args)} did not finish in {AttackLimit.TotalMinutes} min (killed)");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
