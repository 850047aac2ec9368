using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit;

namespace Arc.Testing;

/// <summary>
/// A probe process run under strace, and the durability calls it made in order: fsync/fdatasync of a path, and the
/// renames and links that publish a file under its final name. Shared by the tests that prove a write survives a power
/// cut (linked into each test project from tests/Shared).
/// </summary>
internal static partial class SyscallTrace
{
    /// <summary>
    /// Runs <paramref name="command"/> (the program and its arguments) under strace, following every thread, and returns
    /// its standard output and the traced calls. Fails the test when strace is missing or the probe exits non-zero.
    /// </summary>
    public static async Task<(string Stdout, List<TracedCall> Calls)> RunAsync(
        string traceFile, IEnumerable<string> command, TimeSpan hangGuard, CancellationToken ct)
    {
        var start = new ProcessStartInfo(FindStrace()) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        // -f: every thread; -y: descriptors with their paths; -s: whole paths, not 32 characters; link/linkat: File.Move
        // without overwrite links the new name and unlinks the temporary one instead of renaming.
        foreach (var arg in new[] { "-f", "-y", "-qq", "-s", "4096", "-o", traceFile, "-e", "trace=fsync,fdatasync,rename,renameat,renameat2,link,linkat" })
            start.ArgumentList.Add(arg);
        foreach (var arg in command)
            start.ArgumentList.Add(arg);
        using var traced = Process.Start(start)!;
        var stdout = traced.StandardOutput.ReadToEndAsync(ct);
        var stderr = traced.StandardError.ReadToEndAsync(ct);
        await traced.WaitForExitAsync(ct).WaitAsync(hangGuard, ct);
        string errors = await stderr;
        Assert.True(traced.ExitCode == 0, $"strace of the probe exited {traced.ExitCode}: {errors}");
        return (await stdout, File.ReadLines(traceFile).Select(ParseCall).OfType<TracedCall>().ToList());
    }

    // "1234 fsync(23</path>) = 0", "1234 rename(\"/a\", \"/b\") = 0", "1234 renameat2(AT_FDCWD</cwd>, \"/a\", AT_FDCWD</cwd>, \"/b\", 0) = 0"
    // ("<unfinished ...>" lines carry the arguments; "<... resumed>" lines are skipped).
    private static TracedCall? ParseCall(string line)
    {
        var match = TraceLine().Match(line);
        if (!match.Success) return null;
        string name = match.Groups[1].Value, arguments = match.Groups[2].Value;
        if (name is "fsync" or "fdatasync")
            return FdPath().Match(arguments) is { Success: true } fd ? new TracedCall(name, "", fd.Groups[1].Value) : null;
        var paths = QuotedString().Matches(arguments);
        return paths.Count >= 2 ? new TracedCall(name, paths[0].Groups[1].Value, paths[1].Groups[1].Value) : null;
    }

    private static string FindStrace()
    {
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            if (File.Exists(Path.Combine(directory, "strace"))) return Path.Combine(directory, "strace");
        Assert.Fail("strace is not installed; the durability tests trace a real probe with it: run scripts/install-prereqs.sh (Debian package strace)");
        return "";
    }

    [GeneratedRegex(@"^\d+\s+(fsync|fdatasync|rename|renameat|renameat2|link|linkat)\((.*)$")]
    private static partial Regex TraceLine();

    [GeneratedRegex(@"^\d+<([^>]*)>")]
    private static partial Regex FdPath();

    [GeneratedRegex("\"([^\"]*)\"")]
    private static partial Regex QuotedString();
}

/// <summary>One traced call: an fsync of <see cref="Target"/> (a path), or a rename/link of <see cref="Source"/> to <see cref="Target"/>.</summary>
internal sealed record TracedCall(string Name, string Source, string Target)
{
    /// <summary>An fsync or fdatasync.</summary>
    public bool IsFlush => Name is "fsync" or "fdatasync";
}
