using Arc.Tracking;
using Xunit;

namespace Arc.Tracking.Tests.Concepts;

public sealed class TrackingNamesTests
{
    [Theory]
    [InlineData("langtech")]
    [InlineData("a")]
    [InlineData("team-7")]
    [InlineData("0abc")]
    public void Valid_namespaces_pass(string name) => Assert.Equal(name, TrackingNames.Namespace(name, "ns"));

    [Theory]
    [InlineData("", "required")]
    [InlineData("Langtech", "lowercase")]
    [InlineData("-team", "starting and ending")]
    [InlineData("team-", "starting and ending")]
    [InlineData("team_a", "lowercase letters, digits or '-'")]
    [InlineData("a.b", "lowercase letters, digits or '-'")]
    public void Invalid_namespaces_are_refused_with_the_rule(string name, string ruleFragment)
    {
        var e = Assert.Throws<ArgumentException>(() => TrackingNames.Namespace(name, "ns"));
        Assert.Equal("ns", e.ParamName);
        Assert.Contains(ruleFragment, e.Message);
    }

    [Fact]
    public void A_namespace_longer_than_a_dns_label_is_refused()
    {
        TrackingNames.Namespace(new string('a', 63), "ns");
        Assert.Throws<ArgumentException>(() => TrackingNames.Namespace(new string('a', 64), "ns"));
    }

    [Theory]
    [InlineData("wav2vec-lid")]
    [InlineData("Mnist_conv.v2")]
    public void Valid_names_pass(string name) => Assert.Equal(name, TrackingNames.Name(name, "name", "model name"));

    [Theory]
    [InlineData("a b")]
    [InlineData("_hidden")]
    [InlineData("x/y")]
    [InlineData("naïve")]
    public void Invalid_names_are_refused_and_quoted(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => TrackingNames.Name(name, "name", "model name"));
        Assert.Contains($"model name '{name}' is invalid", e.Message);
    }

    [Fact]
    public void Null_is_an_argument_null_exception_naming_the_parameter()
    {
        var e = Assert.Throws<ArgumentNullException>(() => TrackingNames.Name(null, "name", "experiment name"));
        Assert.Equal("name", e.ParamName);
    }

    [Theory]
    [InlineData("loss")]
    [InlineData("train/accuracy")]
    [InlineData("_step.time-ms")]
    public void Metric_keys_allow_slashes(string key) => Assert.Equal(key, TrackingNames.Key(key, "key", "metric key"));

    [Theory]
    [InlineData("/loss")]
    [InlineData("loss rate")]
    [InlineData("loss\n")]
    public void Bad_metric_keys_are_refused(string key)
        => Assert.Throws<ArgumentException>(() => TrackingNames.Key(key, "key", "metric key"));

    [Fact]
    public void Control_characters_in_a_quoted_value_are_escaped_in_the_message()
    {
        var e = Assert.Throws<ArgumentException>(() => TrackingNames.Key("a\u0001b", "key", "metric key"));
        Assert.Contains("a\\u0001b", e.Message);
    }

    [Fact]
    public void Text_allows_line_breaks_only_when_multiline()
    {
        Assert.Equal("line\nline", TrackingNames.Text("line\nline", "d", "description", 100, multiline: true));
        var e = Assert.Throws<ArgumentException>(() => TrackingNames.Text("line\nline", "o", "owner", 100));
        Assert.Contains("U+000A", e.Message);
        Assert.Throws<ArgumentException>(() => TrackingNames.Text(new string('x', 101), "o", "owner", 100));
    }

    [Fact]
    public void Sha256_is_64_lowercase_hex_without_prefix()
    {
        string hex = new('a', 64);
        Assert.Equal(hex, TrackingNames.Sha256(hex, "sha"));
        Assert.Throws<ArgumentException>(() => TrackingNames.Sha256("sha256:" + hex, "sha"));
        Assert.Throws<ArgumentException>(() => TrackingNames.Sha256(new string('A', 64), "sha"));
        Assert.Throws<ArgumentException>(() => TrackingNames.Sha256(new string('a', 63), "sha"));
    }

    [Theory]
    [InlineData("weights.bin", true)]
    [InlineData("notebooks/eval.ipynb", true)]
    [InlineData("/etc/passwd", false)]
    [InlineData("a/../b", false)]
    [InlineData("a//b", false)]
    [InlineData("./a", false)]
    [InlineData("a\\b", false)]
    public void File_names_are_relative_paths_without_dot_segments(string name, bool valid)
    {
        if (valid) Assert.Equal(name, TrackingNames.FileName(name, "name"));
        else Assert.Throws<ArgumentException>(() => TrackingNames.FileName(name, "name"));
    }
}
