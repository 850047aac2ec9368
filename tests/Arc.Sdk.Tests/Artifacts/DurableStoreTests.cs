using System.Diagnostics;
using System.Text.RegularExpressions;
using Arc.Artifacts;
using Arc.Sdk;
using Arc.Sdk.Tests.Support;
using Arc.Testing;

namespace Arc.Sdk.Tests.Artifacts;

/// <summary>
/// The OCI layout store's writes against real crashes and real system calls: pushes in a child process
/// (tests/Arc.StoreProbe) killed with SIGKILL at random points must never lose an acknowledged tag or leave a store
/// that does not open, and strace must show every rename preceded by an fsync of the file and followed by an fsync of
/// its directory.
/// </summary>
public sealed partial class DurableStoreTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A hang guard for one child process (a push of a few MiB takes milliseconds).</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(120);

    private readonly string _root = TestScratch.Create().FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Pushes_killed_at_random_points_lose_no_acknowledged_tag_and_the_store_opens_clean()
    {
        const int Kills = 30;
        string layout = Path.Combine(_root, "layout");
        var random = new Random(1234);
        var acknowledged = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int kill = 0; kill < Kills; kill++)
        {
            using var child = StartProbe(layout, count: 1000, seed: kill);
            var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var lines = ReadLinesAsync(child, ready);
            try
            {
                // Once the child runs, its pushes follow one another every few milliseconds: a random delay lands the
                // kill anywhere in a push (writing a blob, between rename and directory fsync, rewriting index.json).
                await ready.Task.WaitAsync(HangGuard, Ct);
                await Task.Delay(random.Next(0, 400), Ct);
            }
            finally
            {
                if (!child.HasExited) child.Kill(); // SIGKILL: no finally block, no flush, no cleanup in the child
                await child.WaitForExitAsync(Ct).WaitAsync(HangGuard, Ct);
            }
            foreach (var line in await lines)
                if (AckLine().Match(line) is { Success: true } ack)
                    acknowledged.Add(ack.Groups[1].Value, ack.Groups[2].Value);
            Assert.NotEqual(0, child.ExitCode); // killed, not finished: 1000 pushes take far longer than 400 ms
        }
        TestContext.Current.TestOutputHelper?.WriteLine($"{Kills} kills, {acknowledged.Count} acknowledged pushes");
        Assert.NotEmpty(acknowledged);

        using (var store = new OciLayoutStore(layout))
        {
            var tags = await store.ListTagsAsync(Ct); // index.json parses: never half written
            foreach (var (tag, digest) in acknowledged)
            {
                Assert.Contains(tag, tags);
                var pulled = await store.PullManifestAsync(tag, Ct);
                Assert.Equal(digest, pulled.Digest.ToString());
                foreach (var blob in pulled.Manifest.Blobs)
                {
                    // OpenBlobAsync hashes the whole file against the manifest's descriptor before handing it out.
                    await using var content = await store.OpenBlobAsync(blob, Ct);
                    Assert.Equal(blob.Size, content.Length);
                }
            }
        }

        // Killed writers left temporary files; they are kept while fresh (a writer this process cannot see may still
        // own them) and removed by the next open once idle.
        string temporaries = Path.Combine(layout, ".tmp");
        var left = Directory.GetFiles(temporaries);
        TestContext.Current.TestOutputHelper?.WriteLine($"{left.Length} temporary files left by killed pushes");
        foreach (var file in left)
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow - OciLayoutStore.DeadWriterIdle - TimeSpan.FromSeconds(5));
        using (var reopened = new OciLayoutStore(layout))
        {
            Assert.Equal(left.Order(StringComparer.Ordinal), reopened.SweptTemporaries.Order(StringComparer.Ordinal));
            Assert.Empty(Directory.GetFileSystemEntries(temporaries));
            Assert.Equal(acknowledged.Count, (await reopened.ListTagsAsync(Ct)).Count(tag => acknowledged.ContainsKey(tag)));
        }
    }

    [Fact]
    public void Opening_a_layout_removes_only_idle_temporary_files_of_dead_writers()
    {
        string layout = Path.Combine(_root, "sweep");
        string temporaries = Path.Combine(layout, ".tmp");
        Directory.CreateDirectory(temporaries);
        var old = DateTime.UtcNow - TimeSpan.FromMinutes(5);
        var dead = DeadProcessStamp();
        string deadIdle = Touch(temporaries, $"{dead}-{Guid.NewGuid():N}", old);
        string deadFresh = Touch(temporaries, $"{dead}-{Guid.NewGuid():N}", DateTime.UtcNow);
        string mineIdle = Touch(temporaries, $"{OwnerStamp.Current}-{Guid.NewGuid():N}", old);
        // Our pid with another start time: a dead process whose pid was given to us.
        string reusedPid = Touch(temporaries, $"{Environment.ProcessId}-{OwnerStamp.Current.StartTime + 1}-{Guid.NewGuid():N}", old);
        string unownedRecent = Touch(temporaries, Guid.NewGuid().ToString("N"), old);
        string unownedOld = Touch(temporaries, Guid.NewGuid().ToString("N"), DateTime.UtcNow - TimeSpan.FromHours(2));

        using var store = new OciLayoutStore(layout);

        Assert.Equal(new[] { deadIdle, reusedPid, unownedOld }.Order(StringComparer.Ordinal), store.SweptTemporaries.Order(StringComparer.Ordinal));
        Assert.Equal(new[] { deadFresh, mineIdle, unownedRecent }.Order(StringComparer.Ordinal), Directory.GetFiles(temporaries).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Every_rename_of_a_push_is_preceded_by_an_fsync_of_the_file_and_followed_by_an_fsync_of_its_directory()
    {
        const int Pushes = 3;
        string layout = Path.Combine(_root, "traced");
        var (stdout, calls) = await SyscallTrace.RunAsync(Path.Combine(_root, "strace.txt"),
            [WorkerProcess.DotnetHost(), ProbePath, .. ProbeArguments(layout, Pushes, seed: 7)], HangGuard, Ct);
        Assert.Equal(Pushes, stdout.Split('\n').Count(line => line.StartsWith("ACK ", StringComparison.Ordinal)));

        string root = Path.GetFullPath(layout) + "/";
        var commits = calls.Select((call, index) => (call, index)).Where(c => !c.call.IsFlush && c.call.Target.StartsWith(root, StringComparison.Ordinal)).ToList();
        var fsyncs = calls.Where(call => call.IsFlush).ToList();
        int ofDirectories = fsyncs.Count(call => Directory.Exists(call.Target));
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{Pushes} pushes: {commits.Count} renames/links into the layout, {fsyncs.Count} fsync calls " +
            $"({fsyncs.Count - ofDirectories} of files, {ofDirectories} of directories)");
        // First push: config, shared layer, fresh layer, manifest, index.json, plus the empty index.json and oci-layout of
        // a new layout; later pushes find the shared layer stored.
        Assert.Equal(7 + 4 * (Pushes - 1), commits.Count);

        for (int i = 0; i < commits.Count; i++)
        {
            var (commit, at) = commits[i];
            int next = i + 1 < commits.Count ? commits[i + 1].index : calls.Count;
            Assert.True(calls.Take(at).Any(c => c.IsFlush && c.Target == commit.Source),
                $"{commit.Name} of {commit.Source} to {commit.Target} was not preceded by an fsync of {commit.Source}");
            string directory = Path.GetDirectoryName(commit.Target)!;
            Assert.True(calls.Skip(at + 1).Take(next - at - 1).Any(c => c.Name == "fsync" && c.Target == directory),
                $"{commit.Name} of {commit.Source} to {commit.Target} was not followed by an fsync of {directory} before the next rename");
        }
    }

    [GeneratedRegex(@"^ACK (\S+) (sha256:[0-9a-f]{64})$")]
    private static partial Regex AckLine();

    private static Process StartProbe(string layout, int count, int seed)
    {
        var start = new ProcessStartInfo(WorkerProcess.DotnetHost()) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(ProbePath);
        foreach (var arg in ProbeArguments(layout, count, seed)) start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) TestContext.Current.TestOutputHelper?.WriteLine("probe: " + line); };
        process.BeginErrorReadLine();
        return process;
    }

    private static string[] ProbeArguments(string layout, int count, int seed)
        => ["push", layout, count.ToString(System.Globalization.CultureInfo.InvariantCulture), seed.ToString(System.Globalization.CultureInfo.InvariantCulture)];

    private static string ProbePath => Path.Combine(AppContext.BaseDirectory, "Arc.StoreProbe.dll");

    /// <summary>Every line the child writes, to its end (the pipe closes when it dies); <paramref name="ready"/> completes at READY.</summary>
    private static async Task<List<string>> ReadLinesAsync(Process child, TaskCompletionSource ready)
    {
        var lines = new List<string>();
        while (await child.StandardOutput.ReadLineAsync(Ct) is { } line)
        {
            if (line == "READY") ready.TrySetResult();
            lines.Add(line);
        }
        ready.TrySetException(new InvalidOperationException($"the probe exited before it was ready: {string.Join(" | ", lines)}"));
        return lines;
    }

    private static string Touch(string directory, string name, DateTime lastWrite)
    {
        string path = Path.Combine(directory, name);
        File.WriteAllBytes(path, [1, 2, 3]);
        File.SetLastWriteTimeUtc(path, lastWrite);
        return path;
    }

    /// <summary>The stamp of a process that ran and is gone.</summary>
    private static OwnerStamp DeadProcessStamp()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        var stamp = OwnerStamp.Of(process.Id);
        process.WaitForExit();
        // The process may be gone before its stat was read; its pid is still one no process has now.
        return stamp ?? new OwnerStamp(process.Id, 1);
    }
}
