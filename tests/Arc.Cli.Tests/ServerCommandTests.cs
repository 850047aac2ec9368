using System.Net;
using Arc.Cli.Tests.Support;
using Arc.Tracking;
using Xunit;

namespace Arc.Cli.Tests;

/// <summary><c>arc server init-config</c> and <c>arc server start</c>, run as the real tool in child processes.</summary>
public sealed class ServerCommandTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Init_config_writes_a_private_commented_file_and_refuses_to_overwrite_it()
    {
        using var scratch = new Scratch();
        string file = scratch["conf/server.toml"];
        var first = await ArcTool.RunAsync(scratch.Root, null, "server", "init-config", "--path", file);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains($"arc server start --config {file}", first.Output);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        string text = await File.ReadAllTextAsync(file, Cancel);
        foreach (string section in new[] { "[server]", "[store]", "[blobs]", "# [server.tls]", "# [[tokens]]", "kind = \"sqlite\"", "# connection_string", "# bucket" })
            Assert.Contains(section, text);

        var again = await ArcTool.RunAsync(scratch.Root, null, "server", "init-config", "--path", file);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("exists: pass --force", again.Error);
        Assert.Equal(text, await File.ReadAllTextAsync(file, Cancel));
        var forced = await ArcTool.RunAsync(scratch.Root, null, "server", "init-config", "--path", file, "--force");
        Assert.True(forced.ExitCode == 0, forced.ToString());
        // Each file gets its own random example secret.
        Assert.NotEqual(text, await File.ReadAllTextAsync(file, Cancel));

        // Without --path the file goes to ~/.arc/tracking/server.toml (HOME is the scratch folder here).
        var home = await ArcTool.RunAsync(scratch.Root, null, "server", "init-config");
        Assert.True(home.ExitCode == 0, home.ToString());
        Assert.True(File.Exists(scratch[".arc/tracking/server.toml"]));
    }

    [Fact]
    public async Task Start_serves_the_config_until_SIGTERM_and_stops_cleanly()
    {
        using var scratch = new Scratch();
        string config = await ServerConfigs.WriteAsync(scratch);
        await using var server = await ArcServerProcess.StartAsync(scratch.Root, config, Cancel);
        Assert.Equal("127.0.0.1", server.Address.Host);
        Assert.Contains($"store:   sqlite {scratch["data/metadata.db"]}", server.Banner);
        Assert.Contains($"blobs:   disk {scratch["data/blobs"]}", server.Banner);
        Assert.Contains("access:  open (loopback only, no token)", server.Banner);

        using (var client = new TrackingServerClient(server.Address))
            await client.CreateExperimentAsync(new ExperimentDraft("vision", "mlp", "me@example.com"), Cancel);
        Assert.True(File.Exists(scratch["data/metadata.db"]));
        Assert.True(Directory.Exists(scratch["data/blobs"]));

        using (var http = new HttpClient())
        {
            string metrics = await http.GetStringAsync(server.MetricsAddress, Cancel);
            Assert.Contains("arc_tracking_calls_total{method=\"CreateExperiment\",code=\"OK\"} 1", metrics);
            // The web UI runs next to the service, over the same store: the experiment's namespace is on its first page.
            Assert.NotNull(server.WebAddress);
            string page = await http.GetStringAsync(server.WebAddress, Cancel);
            Assert.Contains("<a href=\"/namespaces/vision\">vision</a>", page);
        }

        var (exitCode, output) = await server.StopAsync();
        Assert.Equal(0, exitCode);
        Assert.Contains("arc tracking server stopped", output);
    }

    [Fact]
    public async Task Start_refuses_an_address_off_loopback_without_tokens_or_without_tls()
    {
        using var scratch = new Scratch();
        string open = await ServerConfigs.WriteAsync(scratch);
        await File.WriteAllTextAsync(open, (await File.ReadAllTextAsync(open, Cancel)).Replace("address = \"127.0.0.1\"", "address = \"0.0.0.0\"", StringComparison.Ordinal), Cancel);
        var refused = await ArcTool.RunAsync(scratch.Root, null, "server", "start", "--config", open);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("arc: error: a tracking server bound to 0.0.0.0 would be reachable from other machines with no token", refused.Error);
        Assert.DoesNotContain("listening", refused.Output);

        string tokens = await ServerConfigs.WriteAsync(scratch, Token("admin", "0123456789abcdef0123", "\"*\" = \"write\""), "tokens.toml");
        await File.WriteAllTextAsync(tokens, (await File.ReadAllTextAsync(tokens, Cancel)).Replace("address = \"127.0.0.1\"", "address = \"0.0.0.0\"", StringComparison.Ordinal), Cancel);
        var noTls = await ArcTool.RunAsync(scratch.Root, null, "server", "start", "--config", tokens);
        Assert.Equal(1, noTls.ExitCode);
        Assert.Contains("needs TLS", noTls.Error);
        Assert.DoesNotContain("listening", noTls.Output);
    }

    [Theory]
    [InlineData("[server]\nprot = 1\n", "server.prot is not a setting here; [server] has address, port")]
    [InlineData("[server]\nport = 70000\n", "server.port 70000 is outside 0–65535")]
    [InlineData("[server]\nport = \"80\"\n", "server.port must be an integer, not \"80\"")]
    [InlineData("[server]\naddress = \"localhost\"\n", "server.address \"localhost\" is not an IP address")]
    [InlineData("[store]\nkind = \"mysql\"\n", "store.kind \"mysql\" is not a store: \"sqlite\" or \"postgres\"")]
    [InlineData("[store]\nkind = \"postgres\"\n", "store.connection_string is required")]
    [InlineData("[blobs]\nkind = \"s3\"\n", "blobs.bucket is required for kind = \"s3\"")]
    [InlineData("[[tokens]]\nname = \"ci\"\nsecret = \"short\"\nnamespaces = { vision = \"write\" }\n", "tokens[0] token 'ci': the secret must be at least 16")]
    [InlineData("[[tokens]]\nname = \"ci\"\nsecret = \"0123456789abcdef\"\nnamespaces = { vision = \"admin\" }\n", "tokens[0].namespaces.vision \"admin\" is not \"read\" or \"write\"")]
    [InlineData("[[tokens]]\nname = \"ci\"\nsecret_env = \"ARC_TEST_UNSET_SECRET\"\nnamespaces = { vision = \"read\" }\n", "tokens[0].secret_env the environment variable ARC_TEST_UNSET_SECRET is not set")]
    [InlineData("[server\n", "is not valid TOML")]
    public async Task A_bad_config_is_refused_with_the_file_the_key_and_the_rule(string config, string message)
    {
        using var scratch = new Scratch();
        string file = scratch["bad.toml"];
        await File.WriteAllTextAsync(file, config, Cancel);
        var result = await ArcTool.RunAsync(scratch.Root, null, "server", "start", "--config", file);
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"arc: error: config {file}", result.Error);
        Assert.Contains(message, result.Error);
        Assert.Empty(result.Output);
    }

    internal static string Token(string name, string secret, string namespaces)
        => $"\n[[tokens]]\nname = \"{name}\"\nsecret = \"{secret}\"\nnamespaces = {{ {namespaces} }}\n";
}
