using Xunit;
namespace Arc.Tracking.Tests.Client;

/// <summary>Reading <c>ARC_TRACKING_URI</c>-style destinations: the forms accepted, and a clear refusal of the rest.</summary>
public sealed class TrackingDestinationTests
{
    private static readonly string Home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("file:")]
    public void Nothing_or_an_empty_file_destination_is_the_embedded_default(string? text)
    {
        var destination = TrackingDestination.Parse(text);
        Assert.True(destination.IsEmbedded);
        Assert.Equal(Path.Combine(Home, ".arc", "tracking"), destination.Directory);
        Assert.Null(destination.Server);
    }

    [Theory]
    [InlineData("file:/var/arc/runs", "/var/arc/runs")]
    [InlineData("file:///var/arc/runs", "/var/arc/runs")]
    [InlineData("file:~/runs", "~/runs")]
    public void A_file_destination_names_a_folder(string text, string folder)
    {
        var destination = TrackingDestination.Parse(text);
        string expected = folder.StartsWith('~') ? Path.Combine(Home, folder[2..]) : folder;
        Assert.Equal(expected, destination.Directory);
        Assert.Equal("file:" + expected, destination.ToString());
        Assert.Equal(destination, TrackingDestination.Parse(destination.ToString()));
    }

    [Fact]
    public void A_relative_folder_is_made_full()
        => Assert.Equal(Path.GetFullPath("runs"), TrackingDestination.Parse("file:runs").Directory);

    [Theory]
    [InlineData("http://127.0.0.1:7740", "http://127.0.0.1:7740")]
    [InlineData("http://localhost:9000/", "http://localhost:9000")]
    public void An_http_destination_is_a_server(string text, string address)
    {
        var destination = TrackingDestination.Parse(text);
        Assert.False(destination.IsEmbedded);
        Assert.Equal(new Uri(address), destination.Server);
        Assert.Equal(address, destination.ToString());
    }

    [Theory]
    [InlineData("https://127.0.0.1:7740", "https://127.0.0.1:7740")]
    [InlineData("s3://bucket", "s3://bucket")]
    [InlineData("/just/a/path", "/just/a/path")]
    [InlineData("http://127.0.0.1:7740/api", "has a path")]
    public void Anything_else_is_refused_with_the_forms(string text, string quoted)
    {
        var error = Assert.Throws<ArgumentException>(() => TrackingDestination.Parse(text));
        Assert.Contains(quoted, error.Message);
    }
}
