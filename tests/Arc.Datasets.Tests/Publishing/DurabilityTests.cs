using System.Diagnostics;
using System.Text.RegularExpressions;
using Arc.Artifacts;
using Arc.Datasets.Tests.Support;

namespace Arc.Datasets.Tests.Publishing;

/// <summary>
/// A publish survives a power cut: strace of a real publish (tests/Arc.DatasetProbe) shows every file and every folder
/// of the version flushed to disk (fsync) before the rename that makes the version visible, and the folder holding the
/// versions flushed after it.
/// </summary>
public sealed partial class DurabilityTests
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

        var start = new ProcessStartInfo(FindStrace()) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        // -f: every thread; -y: descriptors with their paths; -s: whole paths.
        foreach (var arg in new[] { "-f", "-y", "-qq", "-s", "4096", "-o", trace, "-e", "trace=fsync,fdatasync,rename,renameat,renameat2",
                     Path.Combine(DotnetRuntimeFiles.CurrentRoot(), "dotnet"), Path.Combine(AppContext.BaseDirectory, "Arc.DatasetProbe.dll"),
                     "publish", scratch["out"], scratch["raw"] })
            start.ArgumentList.Add(arg);
        using (var traced = Process.Start(start)!)
        {
            var stdout = traced.StandardOutput.ReadToEndAsync(Ct);
            var stderr = traced.StandardError.ReadToEndAsync(Ct);
            await traced.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromMinutes(2), Ct);
            Assert.True(traced.ExitCode == 0, $"strace of the probe exited {traced.ExitCode}: {await stderr}");
        }
        string version = scratch["out/probe/v1"];
        string parent = scratch["out/probe"];

        var calls = File.ReadLines(trace).Select(ParseCall).OfType<Call>().ToList();
        int publish = calls.FindIndex(c => c.Name.StartsWith("rename", StringComparison.Ordinal) && c.Target == version);
        Assert.True(publish >= 0, $"no rename to {version} in the trace");
        string temporary = calls[publish].Source;
        Assert.StartsWith(Path.Combine(parent, ".publishing-"), temporary);

        var flushedBefore = calls.Take(publish).Where(c => c.Name is "fsync" or "fdatasync").Select(c => c.Target).ToHashSet();
        var entries = Directory.EnumerateFileSystemEntries(version, "*", SearchOption.AllDirectories).Append(version).ToList();
        Assert.Equal(10, entries.Count); // 4 arrays, meta.json, raw/, raw/labels.csv, raw/images/, raw/images/a.png and the version itself
        foreach (var entry in entries)
        {
            string before = temporary + entry[version.Length..];
            Assert.True(flushedBefore.Contains(before), $"{before} was not flushed to disk before the rename that published it");
        }
        Assert.True(calls.Skip(publish + 1).Any(c => c.Name == "fsync" && c.Target == parent), $"{parent} was not flushed after the rename");
    }

    /// <summary>One traced call: an fsync of <see cref="Target"/>, or a rename of <see cref="Source"/> to <see cref="Target"/>.</summary>
    private sealed record Call(string Name, string Source, string Target);

    private static Call? ParseCall(string line)
    {
        var match = TraceLine().Match(line);
        if (!match.Success) return null;
        string name = match.Groups[1].Value, arguments = match.Groups[2].Value;
        if (name is "fsync" or "fdatasync")
            return FdPath().Match(arguments) is { Success: true } fd ? new Call(name, "", fd.Groups[1].Value) : null;
        var paths = QuotedString().Matches(arguments);
        return paths.Count >= 2 ? new Call(name, paths[0].Groups[1].Value, paths[1].Groups[1].Value) : null;
    }

    [GeneratedRegex(@"^\d+\s+(fsync|fdatasync|rename|renameat|renameat2)\((.*)$")]
    private static partial Regex TraceLine();

    [GeneratedRegex(@"^\d+<([^>]*)>")]
    private static partial Regex FdPath();

    [GeneratedRegex("\"([^\"]*)\"")]
    private static partial Regex QuotedString();

    private static string FindStrace()
    {
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            if (File.Exists(Path.Combine(directory, "strace"))) return Path.Combine(directory, "strace");
        Assert.Fail("strace is not installed; this test traces a real publish with it: run scripts/install-prereqs.sh (Debian package strace)");
        return "";
    }
}
