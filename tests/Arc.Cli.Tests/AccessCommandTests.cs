using Arc.Cli.Tests.Support;
using Xunit;

namespace Arc.Cli.Tests;

/// <summary>The tool against a server whose config has tokens: --token and ARC_TRACKING_TOKEN, and exit code 4 for a refusal.</summary>
public sealed class AccessCommandTests
{
    private const string Writer = "writer-0123456789abcdef";
    private const string Reader = "reader-0123456789abcdef";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Tokens_from_the_config_open_their_namespaces_and_nothing_else()
    {
        using var scratch = new Scratch();
        string config = await ServerConfigs.WriteAsync(scratch,
            ServerCommandTests.Token("writer", Writer, "vision = \"write\"") + ServerCommandTests.Token("reader", Reader, "vision = \"read\""));
        await using var server = await ArcServerProcess.StartAsync(scratch.Root, config, Cancel);
        Assert.Contains("access:  2 token(s): writer, reader", server.Banner);
        var uri = new Dictionary<string, string> { ["ARC_TRACKING_URI"] = server.Address.ToString() };
        Dictionary<string, string> With(string token) => new(uri) { ["ARC_TRACKING_TOKEN"] = token };

        var anonymous = await ArcTool.RunAsync(scratch.Root, uri, "experiments", "list");
        Assert.Equal(4, anonymous.ExitCode);
        Assert.Contains("the tracking server refused access: this tracking server needs a token", anonymous.Error);

        var wrong = await ArcTool.RunAsync(scratch.Root, uri, "experiments", "list", "--token", "wrong-token-0123456789");
        Assert.Equal(4, wrong.ExitCode);
        Assert.Contains("not one of this tracking server's tokens", wrong.Error);

        var created = await ArcTool.RunAsync(scratch.Root, uri, "experiments", "create", "-n", "vision", "--name", "mlp", "--token", Writer);
        Assert.True(created.ExitCode == 0, created.ToString());

        var readOnly = await ArcTool.RunAsync(scratch.Root, With(Reader), "experiments", "create", "-n", "vision", "--name", "other");
        Assert.Equal(4, readOnly.ExitCode);
        Assert.Contains("token 'reader' may not write namespace 'vision' (it may read it)", readOnly.Error);

        var elsewhere = await ArcTool.RunAsync(scratch.Root, With(Writer), "models", "create", "-n", "nlp", "--name", "tagger");
        Assert.Equal(4, elsewhere.ExitCode);
        Assert.Contains("token 'writer' may not write namespace 'nlp'", elsewhere.Error);

        var read = await ArcTool.RunAsync(scratch.Root, With(Reader), "experiments", "show", "vision/mlp", "--json");
        Assert.True(read.ExitCode == 0, read.ToString());
        Assert.Contains("\"name\": \"mlp\"", read.Output);
    }
}
