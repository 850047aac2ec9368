using System.Diagnostics;

namespace Arc.Sdk;

/// <summary>
/// The git commit and dirty flag of the checkout a folder lies in, read with the <c>git</c> program (a run without git,
/// or outside a checkout, has no code version).
/// </summary>
internal static class GitCodeVersion
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    /// <summary>The commit and whether tracked files differ from it; null when there is no checkout or no git.</summary>
    public static (string Commit, bool Dirty)? Of(string directory)
    {
        string? commit = Git(directory, "rev-parse", "--verify", "HEAD");
        if (commit is null || !(commit.Length is 40 or 64) || !commit.All(char.IsAsciiHexDigitLower)) return null;
        string? changes = Git(directory, "status", "--porcelain", "--untracked-files=no");
        return (commit, changes is null || changes.Length > 0);
    }

    /// <summary>The code version of the program <paramref name="type"/> belongs to: its assembly's folder, else the current folder.</summary>
    public static (string Commit, bool Dirty)? OfProgram(Type type)
    {
        string? folder = Path.GetDirectoryName(type.Assembly.Location);
        return (folder is { Length: > 0 } ? Of(folder) : null) ?? Of(Directory.GetCurrentDirectory());
    }

    private static string? Git(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        try
        {
            using var git = Process.Start(start);
            if (git is null) return null;
            var output = git.StandardOutput.ReadToEndAsync();
            _ = git.StandardError.ReadToEndAsync();
            if (!git.WaitForExit(Limit))
            {
                git.Kill();
                return null;
            }
            return git.ExitCode == 0 ? output.Result.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no git on this machine
        }
    }
}
