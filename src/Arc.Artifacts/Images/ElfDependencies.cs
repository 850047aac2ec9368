using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Arc.Artifacts;

/// <summary>
/// The shared libraries ELF files load, as this machine's dynamic loader resolves them (<c>ldd</c>, one run for all
/// files). Only what is linked shows up: libraries opened later with <c>dlopen</c> (OpenSSL for TLS and hashing, ICU
/// for culture data) do not, which is why images run with invariant globalization and callers can name more.
/// <c>ldd</c> may run the files' loader, so only give it files you would run anyway.
/// </summary>
internal static partial class ElfDependencies
{
    /// <summary>What one <see cref="ResolveAsync"/> found.</summary>
    /// <param name="Libraries">Resolved library paths (as the loader names them, e.g. <c>/lib/x86_64-linux-gnu/libc.so.6</c>), sorted.</param>
    /// <param name="Unresolved">Libraries the loader could not find, as <c>libname (needed by file)</c>.</param>
    public sealed record Result(IReadOnlyList<string> Libraries, IReadOnlyList<string> Unresolved);

    /// <summary>
    /// The libraries <paramref name="files"/> need; a file that is not a dynamic ELF object is skipped. Libraries named in
    /// <paramref name="providedNames"/> (file names the image brings itself) are not reported as unresolved.
    /// </summary>
    public static async Task<Result> ResolveAsync(IReadOnlyCollection<string> files, ISet<string> providedNames, CancellationToken cancellationToken)
    {
        var libraries = new SortedSet<string>(StringComparer.Ordinal);
        var unresolved = new SortedSet<string>(StringComparer.Ordinal);
        // ldd takes many files; chunks keep the command line short.
        foreach (var chunk in files.Order(StringComparer.Ordinal).Chunk(64))
        {
            string output = await RunLddAsync(chunk, cancellationToken).ConfigureAwait(false);
            Parse(output, chunk.Length == 1 ? chunk[0] : null, libraries, unresolved, providedNames);
        }
        return new Result(libraries.ToArray(), unresolved.ToArray());
    }

    /// <summary>Reads <c>ldd</c> output; <paramref name="singleFile"/> is the file when only one was given (ldd prints no header then).</summary>
    internal static void Parse(string output, string? singleFile, ISet<string> libraries, ISet<string> unresolved, ISet<string> providedNames)
    {
        string? current = singleFile;
        foreach (var raw in output.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.Length == 0) continue;
            if (!char.IsWhiteSpace(line[0]) && line.EndsWith(':'))
            {
                current = line[..^1];
                continue;
            }
            var match = Arrow().Match(line);
            if (match.Success)
            {
                string name = match.Groups["name"].Value;
                string target = match.Groups["path"].Value;
                if (target == "not found")
                {
                    if (!providedNames.Contains(name)) unresolved.Add($"{name} (needed by {current ?? "?"})");
                }
                else if (target.StartsWith('/')) libraries.Add(target);
                continue;
            }
            var loader = Loader().Match(line);
            if (loader.Success) libraries.Add(loader.Groups["path"].Value);
            // Anything else ("linux-vdso.so.1 (0x…)", "not a dynamic executable", "statically linked") names no file.
        }
    }

    static async Task<string> RunLddAsync(string[] files, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("ldd") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var file in files) start.ArgumentList.Add(file);
        start.Environment["LC_ALL"] = "C";
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("could not start ldd");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("ldd is not available: it is needed to find the system libraries the image must carry (Debian package libc-bin)", e);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            string output = await stdout.ConfigureAwait(false);
            string errors = await stderr.ConfigureAwait(false);
            // ldd exits 1 when some file is not dynamic ("not a dynamic executable"): that file simply needs nothing.
            if (process.ExitCode != 0 && !errors.Contains("not a dynamic executable", StringComparison.Ordinal)
                && !output.Contains("not a dynamic executable", StringComparison.Ordinal))
                throw new InvalidOperationException($"ldd failed (exit code {process.ExitCode}) on {string.Join(", ", files)}: {errors.Trim()}");
            return output;
        }
    }

    [GeneratedRegex(@"^\s+(?<name>\S+)\s+=>\s+(?<path>not found|\S+)")]
    private static partial Regex Arrow();

    [GeneratedRegex(@"^\s+(?<path>/\S+)\s+\(0x[0-9a-f]+\)\s*$")]
    private static partial Regex Loader();
}
