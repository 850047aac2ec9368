using System.Formats.Tar;
using Arc.Sdk.Tests.Remote;
using Arc.Artifacts;
using Arc.Sdk.Tests.Support;

namespace Arc.Sdk.Tests.Artifacts;

/// <summary>The code bundle of this test assembly's build output: what goes where, and deterministic tars.</summary>
public sealed class CodeBundleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static CodeBundle Bundle() => CodeBundle.FromAssembly(typeof(WorkerMlp).Assembly.Location);

    [Fact]
    public void Project_files_are_the_app_part_ordinary_packages_are_carried_and_libtorch_is_a_requirement()
    {
        var bundle = Bundle();
        Assert.Equal("Arc.Sdk.Tests.dll", bundle.EntryAssembly);
        Assert.Contains("Arc.Sdk.Tests.dll", bundle.AppFiles.Keys);
        Assert.Contains("Arc.Sdk.Tests.deps.json", bundle.AppFiles.Keys);
        Assert.Contains("Arc.Sdk.dll", bundle.AppFiles.Keys);
        Assert.Contains("Arc.Worker.runtimeconfig.json", bundle.AppFiles.Keys);
        Assert.Contains("TorchSharp.dll", bundle.PackageFiles.Keys);
        Assert.Contains("MessagePack.dll", bundle.PackageFiles.Keys);
        Assert.DoesNotContain(bundle.PackageFiles.Keys, path => path.Contains("libtorch_cpu", StringComparison.Ordinal));
        var libtorch = Assert.Single(bundle.Requirements, r => r.Id.StartsWith("libtorch-cpu-", StringComparison.Ordinal));
        Assert.Contains(libtorch.Files, f => f.OutputPath == "runtimes/linux-x64/native/libtorch_cpu.so" && f.Size > 100L << 20);
        Assert.Equal(libtorch.Id.ToLowerInvariant() + "/" + libtorch.Version.ToLowerInvariant(), libtorch.Folder);
    }

    [Fact]
    public async Task Equal_builds_give_equal_bundle_bytes_whatever_the_files_times_and_order()
    {
        var bundle = Bundle();
        var copy = TestScratch.Create();
        try
        {
            // The same files elsewhere, written in reverse order with other times: a rebuild of the same sources.
            var copied = new Dictionary<string, string>();
            foreach (var (path, file) in bundle.AppFiles.Reverse())
            {
                string target = Path.Combine(copy.FullName, path);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
                File.SetLastWriteTimeUtc(target, new DateTime(2031, 1, 2, 3, 4, 5, DateTimeKind.Utc));
                copied[path] = target;
            }
            using var first = new MemoryStream();
            using var second = new MemoryStream();
            await BundleTar.WriteAsync(first, bundle.AppFiles, Ct);
            await BundleTar.WriteAsync(second, copied, Ct);
            Assert.Equal(OciDigest.Compute(first.ToArray()), OciDigest.Compute(second.ToArray()));

            first.Position = 0;
            using var reader = new TarReader(first);
            var names = new List<string>();
            while (reader.GetNextEntry() is { } entry)
            {
                names.Add(entry.Name);
                Assert.Equal(TarEntryType.RegularFile, entry.EntryType);
                Assert.Equal(DateTimeOffset.UnixEpoch, entry.ModificationTime);
                Assert.Equal(0, entry.Uid);
            }
            Assert.Equal(bundle.AppFiles.Keys.Order(StringComparer.Ordinal), names);
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_bundle_extracts_to_the_same_files()
    {
        var bundle = Bundle();
        var target = TestScratch.Create();
        try
        {
            using var tar = new MemoryStream();
            await BundleTar.WriteAsync(tar, bundle.AppFiles, Ct);
            tar.Position = 0;
            await BundleExtractor.ExtractAsync(tar, target.FullName, "test", Ct);
            foreach (var (path, file) in bundle.AppFiles)
                Assert.Equal(await File.ReadAllBytesAsync(file, Ct), await File.ReadAllBytesAsync(Path.Combine(target.FullName, path), Ct));
            Assert.Equal(bundle.AppFiles.Count, Directory.GetFiles(target.FullName, "*", SearchOption.AllDirectories).Length);
        }
        finally
        {
            target.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_bundle_needs_the_apps_deps_file()
    {
        var directory = TestScratch.Create();
        try
        {
            string assembly = Path.Combine(directory.FullName, "Lonely.dll");
            File.WriteAllBytes(assembly, [1, 2, 3]);
            var e = Assert.Throws<InvalidOperationException>(() => CodeBundle.FromAssembly(assembly));
            Assert.Contains("has no Lonely.deps.json beside it", e.Message);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
