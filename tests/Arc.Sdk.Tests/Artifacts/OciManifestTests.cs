using System.Text;
using Arc.Artifacts;

namespace Arc.Sdk.Tests.Artifacts;

/// <summary>The manifest's canonical JSON and the strict reader that refuses anything else.</summary>
public sealed class OciManifestTests
{
    [Fact]
    public async Task Manifest_json_is_canonical_and_parses_back_equal()
    {
        var prepared = await ArtifactTestData.Sample(seed: 1).PrepareAsync(TestContext.Current.CancellationToken);
        string json = Encoding.UTF8.GetString(prepared.ManifestBytes.Span);

        Assert.StartsWith("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"artifactType\":\"application/vnd.arc.test.v1\",\"config\":{", json);
        Assert.Contains("\"annotations\":{\"org.opencontainers.image.title\":\"weights.bin\"}", json);
        Assert.Equal(prepared.Manifest, OciManifest.Parse(prepared.ManifestBytes.Span, "test"));
        Assert.Equal(prepared.ManifestBytes.ToArray(), OciManifest.Parse(prepared.ManifestBytes.Span, "test").ToJson());
    }

    [Fact]
    public async Task A_subject_is_written_after_the_layers_and_parses_back_equal()
    {
        var subject = new OciDescriptor(OciMediaTypes.ImageManifest, OciDigest.Compute("signed"u8), 6);
        var prepared = await new ArtifactContent("application/vnd.arc.test.v1").WithSubject(subject)
            .AddLayer("a", "text/plain", "a"u8.ToArray()).PrepareAsync(TestContext.Current.CancellationToken);
        string json = Encoding.UTF8.GetString(prepared.ManifestBytes.Span);

        Assert.Contains($"}}],\"subject\":{{\"mediaType\":\"{OciMediaTypes.ImageManifest}\",\"digest\":\"{subject.Digest}\",\"size\":6}}}}", json);
        var parsed = OciManifest.Parse(prepared.ManifestBytes.Span, "test");
        Assert.Equal(subject, parsed.Subject);
        Assert.Equal(prepared.Manifest, parsed);
        Assert.Equal(prepared.ManifestBytes.ToArray(), parsed.ToJson());
        // The subject is part of the identity: the same content referring elsewhere is another manifest.
        var elsewhere = await new ArtifactContent("application/vnd.arc.test.v1").WithSubject(subject with { })
            .AddLayer("a", "text/plain", "a"u8.ToArray()).PrepareAsync(TestContext.Current.CancellationToken);
        Assert.Equal(prepared.Digest, elsewhere.Digest);
        var other = await new ArtifactContent("application/vnd.arc.test.v1").WithSubject(new OciDescriptor(OciMediaTypes.ImageManifest, OciDigest.Compute("other"u8), 5))
            .AddLayer("a", "text/plain", "a"u8.ToArray()).PrepareAsync(TestContext.Current.CancellationToken);
        Assert.NotEqual(prepared.Digest, other.Digest);
        Assert.NotEqual(prepared.Manifest, other.Manifest);
        Assert.Throws<ArtifactFormatException>(() => OciManifest.Parse(Encoding.UTF8.GetBytes(json.Replace("\"size\":6", "\"size\":\"6\"")), "test"));
    }

    [Fact]
    public async Task An_artifact_without_config_uses_the_empty_descriptor()
    {
        var prepared = await new ArtifactContent("application/vnd.arc.test.v1").AddLayer("a", "text/plain", "a"u8.ToArray()).PrepareAsync(TestContext.Current.CancellationToken);

        Assert.Equal(OciDescriptor.Empty, prepared.Manifest.Config);
        Assert.Equal(2, prepared.Manifest.Config.Size);
    }

    [Fact]
    public void Layer_titles_must_be_unique()
    {
        var content = new ArtifactContent("application/vnd.arc.test.v1").AddLayer("a", "text/plain", "1"u8.ToArray());
        var error = Assert.Throws<ArgumentException>(() => content.AddLayer("a", "text/plain", "2"u8.ToArray()));
        Assert.Contains("'a'", error.Message);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[]", "must be a JSON object")]
    [InlineData("""{"schemaVersion":1,"config":{},"layers":[]}""", "schemaVersion must be 2")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","layers":[]}""", "mediaType must be")]
    [InlineData("""{"schemaVersion":2,"layers":[]}""", "no config descriptor")]
    [InlineData("""{"schemaVersion":2,"config":{"mediaType":"a","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2}}""", "layers must be an array")]
    [InlineData("""{"schemaVersion":2,"config":{"mediaType":"a","digest":"md5:abc","size":2},"layers":[]}""", "config.digest")]
    [InlineData("""{"schemaVersion":2,"config":{"mediaType":"a","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":-1},"layers":[]}""", "config.size")]
    [InlineData("""{"schemaVersion":2,"config":{"mediaType":"a","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[{"mediaType":"b","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":1e400}]}""", "layers[0].size")]
    [InlineData("""{"schemaVersion":2,"config":{"mediaType":"a","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[],"annotations":{"k":1}}""", "must be a string")]
    public void Malformed_manifests_are_refused_saying_what_is_wrong(string json, string explanation)
    {
        var error = Assert.Throws<ArtifactFormatException>(() => OciManifest.Parse(Encoding.UTF8.GetBytes(json), "host/repo:tag"));
        Assert.Contains(explanation, error.Message);
        Assert.Contains("host/repo:tag", error.Message);
    }
}
