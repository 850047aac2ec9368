using Xunit;

namespace Arc.Cli.Tests.Support;

/// <summary>Server configs for tests: the one <c>arc server init-config</c> writes, edited to free ports and scratch paths.</summary>
internal static class ServerConfigs
{
    /// <summary>
    /// Writes the tool's own config into <paramref name="scratch"/> and points it at ports the system picks and stores in
    /// the scratch folder; <paramref name="extra"/> is appended (tokens). Every edit is checked to have happened.
    /// </summary>
    public static async Task<string> WriteAsync(Scratch scratch, string extra = "", string name = "server.toml")
    {
        string file = scratch[name];
        var init = await ArcTool.RunAsync(scratch.Root, null, "server", "init-config", "--path", file);
        Assert.True(init.ExitCode == 0, init.ToString());
        string text = await File.ReadAllTextAsync(file);
        text = Replace(text, "port = 7740", "port = 0");
        text = Replace(text, "metrics_port = 7741", "metrics_port = 0");
        text = Replace(text, "web_port = 7742", "web_port = 0");
        text = Replace(text, "path = \"~/.arc/tracking/metadata.db\"", "path = \"data/metadata.db\"");
        text = Replace(text, "directory = \"~/.arc/tracking/blobs\"", "directory = \"data/blobs\"");
        await File.WriteAllTextAsync(file, text + extra);
        return file;
    }

    private static string Replace(string text, string from, string to)
    {
        Assert.Contains(from, text);
        return text.Replace(from, to, StringComparison.Ordinal);
    }
}
