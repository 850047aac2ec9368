using Arc.Artifacts;
using Arc.Datasets.Tests.Support;
using Arc.Testing;

namespace Arc.Datasets.Tests.Publishing;

/// <summary>
/// A publish survives a power cut: strace of a real publish (tests/Arc.DatasetProbe) shows every file and every folder
/// of the version flushed to disk (fsync) before the rename that makes the version visible, and the folder holding the
/// versions flushed after it.
/// </summary>
public sealed class DurabilityTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_file_and_folder_is_flushed_before_the_rename_that_publishes_and_the_parent_after_it()
    {
        using var scratch = new Scratch();
        Directory.CreateDirectory(scratch["raw/images"]);
        await File.WriteAllTextAsync(scratch["raw/labels.csv"], "file,label\n", Ct);
        await File.WriteAllBytesAsync(scratch["raw/images/a.png"], [1, 2, 3], Ct);
        string trace = scratch["strace.txt"];

        var (_, calls) = await SyscallTrace.RunAsync(trace,
            [Path.Combine(DotnetRuntimeFiles.CurrentRoot(), "dotnet"), Path.Combine(AppContext.BaseDirectory, "Arc.DatasetProbe.dll"), "publish", scratch["out"], scratch["raw"]],
            TimeSpan.FromMinutes(2), Ct);
        string version = scratch["out/probe/v1"];
        string parent = scratch["out/probe"];

        int publish = calls.FindIndex(c => c.Name.StartsWith("rename", StringComparison.Ordinal) && c.Target == version);
        Assert.True(publish >= 0, $"no rename to {version} in the trace");
        string temporary = calls[publish].Source;
        Assert.StartsWith(Path.Combine(parent, ".publishing-"), temporary);

        var flushedBefore = calls.Take(publish).Where(c => c.IsFlush).Select(c => c.Target).ToHashSet();
        var entries = Directory.EnumerateFileSystemEntries(version, "*", SearchOption.AllDirectories).Append(version).ToList();
        Assert.Equal(10, entries.Count); // 4 arrays, meta.json, raw/, raw/labels.csv, raw/images/, raw/images/a.png and the version itself
        foreach (var entry in entries)
        {
            string before = temporary + entry[version.Length..];
            Assert.True(flushedBefore.Contains(before), $"{before} was not flushed to disk before the rename that published it");
        }
        Assert.True(calls.Skip(publish + 1).Any(c => c.Name == "fsync" && c.Target == parent), $"{parent} was not flushed after the rename");
    }
}
