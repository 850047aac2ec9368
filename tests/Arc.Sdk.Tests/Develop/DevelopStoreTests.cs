using System.Diagnostics;
using Grpc.Core;
using Arc.Artifacts;
using Arc.Remote;
using Arc.Sdk;

namespace Arc.Sdk.Tests.Develop;

/// <summary>
/// The develop worker's own storage, against real Arc.Worker child processes: its folder is 0700 and named after it,
/// its blob store keeps to its byte quota, a killed worker's folder is removed by the next worker, and a stopped one
/// removes its own.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Collection(Arc.Sdk.Tests.Remote.TempPathSweepCollection.Name)]
public sealed class DevelopStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A hang guard (a broken worker would otherwise never answer), far above the time any of this takes.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    [Fact]
    public async Task A_blob_past_the_quota_is_refused_with_ResourceExhausted_and_leaves_nothing_behind()
    {
        await using var worker = await DevelopWorkerProcess.StartAsync(new() { ["ARC_WORKER_DEVELOP_QUOTA_BYTES"] = "100000" });
        string folder = worker.Folder();
        string blobs = Path.Combine(folder, "blobs");
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(folder));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(blobs));

        using var channel = new ArcChannel(worker.Address, new ArcChannelOptions { Token = worker.Token });
        var develop = new ArcDevelopClient(channel);
        var (first, firstDigest) = Blob(60_000, seed: 1);
        var (second, secondDigest) = Blob(60_000, seed: 2);
        var (third, thirdDigest) = Blob(40_000, seed: 3);

        await develop.PutBlobAsync(firstDigest, first, Ct);
        await develop.PutBlobAsync(firstDigest, first, Ct); // stored already: costs nothing more
        var refused = await Assert.ThrowsAsync<ArcRemoteCallException>(() => develop.PutBlobAsync(secondDigest, second, Ct));
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Equal(
            $"blob {secondDigest} (60000 bytes) was refused: the develop store holds 60000 of its 100000 bytes " +
            "(ARC_WORKER_DEVELOP_QUOTA_BYTES); start a new develop worker, or raise the quota", refused.Detail);
        Assert.Equal([secondDigest], await develop.MissingAsync([secondDigest], Ct));
        Assert.Equal([firstDigest], Directory.GetFileSystemEntries(blobs).Select(Path.GetFileName)); // no partial file

        await develop.PutBlobAsync(thirdDigest, third, Ct); // exactly up to the quota is allowed
        Assert.Empty(await develop.MissingAsync([firstDigest, thirdDigest], Ct));
        Assert.Equal(new[] { firstDigest, thirdDigest }.Order(StringComparer.Ordinal),
            Directory.GetFileSystemEntries(blobs).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_quota_that_is_not_a_number_stops_the_worker_with_a_clear_error()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => DevelopWorkerProcess.StartAsync(new() { ["ARC_WORKER_DEVELOP_QUOTA_BYTES"] = "2GB" }));
        Assert.Contains("ARC_WORKER_DEVELOP_QUOTA_BYTES='2GB' is not a positive whole number of bytes", e.Message);
    }

    [Fact]
    public async Task A_killed_workers_folder_is_removed_when_the_next_worker_starts_and_a_stopped_worker_removes_its_own()
    {
        string killedFolder;
        await using (var killed = await DevelopWorkerProcess.StartAsync([]))
        {
            killedFolder = killed.Folder();
            killed.Process.Kill(); // SIGKILL: the worker removes nothing
            await killed.Process.WaitForExitAsync(Ct).WaitAsync(HangGuard, Ct);
        }
        Assert.True(Directory.Exists(killedFolder), $"{killedFolder} should outlive its SIGKILLed worker");
        Assert.Contains(killedFolder, ArcTempPaths.FindDead());

        await using var next = await DevelopWorkerProcess.StartAsync([]);
        Assert.False(Directory.Exists(killedFolder), $"the next develop worker did not remove {killedFolder}, left by a killed one");
        string nextFolder = next.Folder();

        using (var term = Process.Start(new ProcessStartInfo("kill", $"-TERM {next.Process.Id}") { UseShellExecute = false })!)
            await term.WaitForExitAsync(Ct);
        await next.Process.WaitForExitAsync(Ct).WaitAsync(HangGuard, Ct);
        Assert.Equal(0, next.Process.ExitCode);
        Assert.False(Directory.Exists(nextFolder), $"a worker stopped by SIGTERM left {nextFolder}");
    }

    private static (byte[] Bytes, string Digest) Blob(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return (bytes, BlobDigest.Of(bytes));
    }

    /// <summary>
    /// An Arc.Worker in develop mode started the way <c>Target.LocalProcess</c> starts one; stopped with SIGTERM on dispose
    /// (so that it removes its own folder), killed only if it does not stop.
    /// </summary>
    private sealed class DevelopWorkerProcess(Process process, Uri address, string token) : IAsyncDisposable
    {
        public Process Process { get; } = process;

        public Uri Address { get; } = address;

        public string Token { get; } = token;

        public static async Task<DevelopWorkerProcess> StartAsync(Dictionary<string, string> variables)
        {
            var start = new ProcessStartInfo(WorkerProcess.DotnetHost())
            {
                UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
            };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Arc.Worker.dll"));
            start.Environment["ARC_WORKER_DEVELOP"] = "1";
            start.Environment["ARC_WORKER_OWNER"] = "stdin";
            foreach (var (name, value) in variables) start.Environment[name] = value;
            var process = Process.Start(start)!;
            string token = ArcWorkerToken.Generate();
            await process.StandardInput.WriteLineAsync(token);
            await process.StandardInput.FlushAsync(Ct);
            var stderr = process.StandardError.ReadToEndAsync(Ct);
            string? line = await process.StandardOutput.ReadLineAsync(Ct).AsTask().WaitAsync(HangGuard, Ct);
            if (line is null || !line.StartsWith("ARC-WORKER-READY port=", StringComparison.Ordinal))
            {
                await process.WaitForExitAsync(Ct).WaitAsync(HangGuard, Ct);
                string errors = await stderr;
                process.Dispose();
                throw new InvalidOperationException($"the develop worker exited before it was ready: {errors}");
            }
            return new DevelopWorkerProcess(process, new Uri("http://127.0.0.1:" + line["ARC-WORKER-READY port=".Length..]), token);
        }

        /// <summary>The worker's temporary folder: exactly one, named after its pid.</summary>
        public string Folder()
            => Assert.Single(Directory.GetDirectories(ArcTempPaths.Root, "arc-develop-*"), path => ArcTempPaths.IsOwnedBy(path, ArcTempPaths.Develop, Process.Id));

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (!Process.HasExited)
                {
                    using (var term = Process.Start(new ProcessStartInfo("kill", $"-TERM {Process.Id}") { UseShellExecute = false })!)
                        await term.WaitForExitAsync(CancellationToken.None);
                    try { await Process.WaitForExitAsync(CancellationToken.None).WaitAsync(HangGuard); }
                    catch (TimeoutException) { Process.Kill(); }
                }
                await Process.WaitForExitAsync(CancellationToken.None);
            }
            catch (InvalidOperationException)
            {
            }
            Process.Dispose();
        }
    }
}
