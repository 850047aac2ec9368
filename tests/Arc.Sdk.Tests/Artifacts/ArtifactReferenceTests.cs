using Arc.Artifacts;

namespace Arc.Sdk.Tests.Artifacts;

/// <summary>The reference grammar: what parses into which parts, what is refused and with which explanation.</summary>
public sealed class ArtifactReferenceTests
{
    private const string Hex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("127.0.0.1:5000/arc/models:model-mlp-1a2b3c4d5e6f", "127.0.0.1:5000", "arc/models", "model-mlp-1a2b3c4d5e6f", null)]
    [InlineData("registry.example.com/team/sub/repo:v1.0_rc-2", "registry.example.com", "team/sub/repo", "v1.0_rc-2", null)]
    [InlineData("localhost/repo", "localhost", "repo", null, null)]
    [InlineData("ghcr.io/a__b/c--d/e.f:_x", "ghcr.io", "a__b/c--d/e.f", "_x", null)]
    [InlineData("[::1]:5000/repo:tag", "[::1]:5000", "repo", "tag", null)]
    [InlineData("host:1/repo@sha256:" + Hex, "host:1", "repo", null, Hex)]
    [InlineData("host/repo:tag@sha256:" + Hex, "host", "repo", "tag", Hex)]
    public void Registry_references_parse_into_their_parts_and_format_back(string text, string registry, string repository, string? tag, string? hex)
    {
        var reference = ArtifactReference.Parse(text);

        Assert.Equal(ArtifactStoreKind.Registry, reference.Kind);
        Assert.Equal(registry, reference.Registry);
        Assert.Equal(repository, reference.Repository);
        Assert.Equal(tag, reference.Tag);
        Assert.Equal(hex, reference.Digest?.Hex);
        Assert.Equal(text, reference.ToString());
        Assert.Equal(reference, ArtifactReference.Parse(reference.ToString()));
    }

    [Theory]
    [InlineData("oci-layout:/var/arc/models:model-mlp-1a2b", "/var/arc/models", "model-mlp-1a2b", null)]
    [InlineData("oci-layout:relative/dir", "relative/dir", null, null)]
    [InlineData("oci-layout:/a:b/store:v1", "/a:b/store", "v1", null)]
    [InlineData("oci-layout:/store:not/a/tag", "/store:not/a/tag", null, null)]
    [InlineData("oci-layout:/store@sha256:" + Hex, "/store", null, Hex)]
    [InlineData("oci-layout:/store:v2@sha256:" + Hex, "/store", "v2", Hex)]
    public void Layout_references_parse_into_directory_tag_and_digest(string text, string directory, string? tag, string? hex)
    {
        var reference = ArtifactReference.Parse(text);

        Assert.Equal(ArtifactStoreKind.Layout, reference.Kind);
        Assert.Null(reference.Registry);
        Assert.Equal(directory, reference.Repository);
        Assert.Equal(tag, reference.Tag);
        Assert.Equal(hex, reference.Digest?.Hex);
        Assert.Equal(text, reference.ToString());
    }

    [Theory]
    [InlineData("", "required")]
    [InlineData("repo:tag", "must name its registry host")]
    [InlineData("https://host/repo:tag", "drop the scheme")]
    [InlineData("host/Repo:tag", "OCI name grammar")]
    [InlineData("host/repo-:tag", "OCI name grammar")]
    [InlineData("host/repo//x:tag", "OCI name grammar")]
    [InlineData("host/a..b", "OCI name grammar")]
    [InlineData("host/", "repository name is empty")]
    [InlineData("host/repo:-tag", "OCI tag grammar")]
    [InlineData("host/repo:.tag", "OCI tag grammar")]
    [InlineData("host/repo:", "OCI tag grammar")]
    [InlineData("host/repo:ta/g", "OCI tag grammar")]
    [InlineData("host/repo@sha256:abc", "exactly 64 lowercase hex")]
    [InlineData("host/repo@sha256:" + "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", "exactly 64 lowercase hex")]
    [InlineData("host/repo@sha512:" + Hex, "sha256 only")]
    [InlineData("host/repo@sha256:" + Hex + "@sha256:" + Hex, "more than one '@'")]
    [InlineData("ho_st/repo", "not a DNS name")]
    [InlineData("-host/repo", "not a DNS name")]
    [InlineData("host:0/repo", "invalid port")]
    [InlineData("host:70000/repo", "invalid port")]
    [InlineData("host:/repo", "invalid port")]
    [InlineData("[::1/repo", "never closes")]
    [InlineData("[zz]:1/repo", "invalid IPv6")]
    [InlineData("host/re po", "whitespace")]
    [InlineData("oci-layout:", "layout directory is empty")]
    [InlineData("oci-layout:/store:-bad", "OCI tag grammar")]
    [InlineData("oci-layout:/store:v1@sha256:1234", "exactly 64 lowercase hex")]
    public void Invalid_references_are_refused_saying_which_rule_they_break(string text, string explanation)
    {
        var error = Assert.Throws<FormatException>(() => ArtifactReference.Parse(text));

        Assert.Contains(explanation, error.Message);
        Assert.False(ArtifactReference.TryParse(text, out _, out var message));
        Assert.Equal(error.Message, message);
    }

    [Fact]
    public void A_tag_longer_than_128_characters_is_refused_and_128_is_accepted()
    {
        Assert.Equal(128, ArtifactReference.Parse("host/repo:" + new string('a', 128)).Tag!.Length);
        var error = Assert.Throws<FormatException>(() => ArtifactReference.Parse("host/repo:" + new string('a', 129)));
        Assert.Contains("limit is 128", error.Message);
    }

    [Fact]
    public void A_name_longer_than_255_characters_is_refused()
    {
        string longName = string.Join('/', Enumerable.Repeat("abcdefghij", 25));
        Assert.Throws<FormatException>(() => ArtifactReference.Parse("host/" + longName));
        Assert.Equal(longName[..240], ArtifactReference.Parse("host/" + longName[..240]).Repository);
    }

    [Fact]
    public void Builders_validate_like_the_parser_and_replace_tag_or_digest()
    {
        var digest = OciDigest.Parse("sha256:" + Hex);
        var repository = ArtifactReference.ForRegistry("127.0.0.1:5000", "arc/models");

        Assert.Equal("127.0.0.1:5000/arc/models:v1", repository.WithTag("v1").ToString());
        Assert.Equal("127.0.0.1:5000/arc/models@sha256:" + Hex, repository.WithTag("v1").WithDigest(digest).ToString());
        Assert.Equal(repository, repository.WithDigest(digest).RepositoryOnly);
        Assert.False(repository.NamesArtifact);
        Assert.Equal("sha256:" + Hex, ArtifactReference.Parse("h/r:t@sha256:" + Hex).TagOrDigest);
        Assert.Throws<ArgumentException>(() => ArtifactReference.ForRegistry("127.0.0.1:5000", "Arc/Models"));
        Assert.Throws<ArgumentException>(() => repository.WithTag("no good"));
        Assert.Throws<ArgumentException>(() => ArtifactReference.ForLayout("/var/store:x"));
    }

    [Fact]
    public void Digests_parse_only_sha256_with_64_lowercase_hex_and_compute_correctly()
    {
        // The sha256 of "abc" from FIPS 180-2.
        Assert.Equal("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", OciDigest.Compute("abc"u8).ToString());
        Assert.Equal(OciDigest.Compute("abc"u8), OciDigest.Parse("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        Assert.Equal("ba7816bf8f01", OciDigest.Compute("abc"u8).Short());
        Assert.Equal("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", OciDescriptor.Empty.Digest.ToString());
        foreach (var bad in new[] { "", "sha256", "sha256:", ":" + Hex, "SHA256:" + Hex, "sha256:" + Hex + "0", "sha256:" + Hex[..63] + "g", "sha256:../../etc/passwd" })
            Assert.False(OciDigest.TryParse(bad, out _, out var error), bad);
    }
}
